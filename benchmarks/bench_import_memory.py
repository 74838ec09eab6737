"""Peak memory of importing a large CRM export (default 1,000,000 rows) against two baselines.

Usage::

    .venv/bin/python benchmarks/bench_import_memory.py [--rows 1000000] [--keep FILE]

Each figure is the peak resident set size of a fresh child process: ``python -c pass``, a process that only
imports ``ae_coach.crm``, and one that imports the generated CSV (bench_pipeline.py's Salesforce report
shape). The import's growth is divided by the CSV's size: issue 17 asks for at most about 10 bytes of memory
per byte of CSV (it was 38-78). Prints figures; asserts nothing (tests never assert timings or sizes).

Measured on a shared 2-core machine (Python 3.11), 1,000,000 rows, 174 MB: 541 MB peak, 509 MB growth = 2.9 bytes
per byte of CSV, 26 s; 200,000 rows: 139 MB, 3.1 bytes per byte, 5 s. Before records were kept as compact rows
(crm/deals.py) it was 2,205 MB, 12.5 bytes per byte and 52 s for the million rows.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_pipeline import generate  # noqa: E402

_PEAK = "import resource, sys; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
_IMPORT = "from ae_coach.crm import import_csv; r = import_csv(sys.argv[1]); print(len(r.deals), len(r.skipped))"


def _peak_kib(code: str, *args: str) -> tuple[int, str]:
    """Run ``code`` in a fresh interpreter; its peak RSS in KiB (Linux) and what it printed."""
    done = subprocess.run(
        [sys.executable, "-c", f"import sys\n{code}\n{_PEAK}", *args], capture_output=True, text=True, check=True
    )
    return int(done.stderr.strip().splitlines()[-1]), done.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="write the synthetic CSV here and keep it (reused if it exists)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "pipeline.csv"
        if not path.exists():
            started = time.perf_counter()
            generate(path, args.rows)
            print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s")
        size = path.stat().st_size
        bare, _ = _peak_kib("pass")
        loaded, _ = _peak_kib("import ae_coach.crm")
        started = time.perf_counter()
        peak, printed = _peak_kib(_IMPORT, str(path))
        seconds = time.perf_counter() - started
    deals, skipped = printed.split()
    growth = (peak - loaded) * 1024
    print(f"CSV: {args.rows:,} rows, {size / 2**20:,.1f} MB")
    print(f"peak RSS  python -c pass:        {bare / 1024:8,.0f} MB")
    print(f"peak RSS  import ae_coach.crm:   {loaded / 1024:8,.0f} MB")
    print(
        f"peak RSS  import the CSV:        {peak / 1024:8,.0f} MB  ({int(deals):,} deals, {skipped} skipped, {seconds:.1f} s)"
    )
    print(f"growth over the import baseline: {growth / 2**20:,.0f} MB = {growth / size:.1f} bytes per byte of CSV")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
