"""Start-up: whole-process time of offline ``ae-coach review`` and ``chat`` against ``python -c pass``.

Every run is a fresh interpreter, as a user starts it, so import time counts. The commands are run in
turn (pass, review, chat, pass, review, ...) so that load from anything else on the machine falls on all
of them alike. Each line prints the median wall time and the median CPU time (user + system) of the
child, the same minus the bare interpreter's, and ``wait``: the median of wall minus CPU, the time a run
spent off a processor. On an idle machine ``wait`` is a few milliseconds; on a shared one it is most of the
difference between this script's wall times and a lucky single ``time ae-coach ...``, so quote CPU time
when it is large. The load average is printed before and after. The ``floor`` line is a script that
imports PyYAML and pydantic and validates one one-field model: what reading a deal file costs before any
of ae-coach's own code runs.

    .venv/bin/python benchmarks/bench_startup.py [RUNS] [--before OTHER/ae-coach]

The ``ae-coach`` timed is the one beside the interpreter running this script; the script refuses to run
when that one does not import this checkout's ``src/ae_coach`` (a global ``python`` would otherwise time
whichever checkout the global install points at).

``--before`` adds the same commands run by another installation (a checkout of the previous commit), in
the same rounds, so a before/after comparison shares the machine's load. Each installation gets its own
``AE_COACH_HOME``: the parsed-rulebook cache keeps one entry, keyed by the rules' directory, so two
installations sharing a home would each throw the other's away and parse the rulebook on every run.

Target: offline ``review`` and the start of ``chat`` (no question asked) under 0.2 s (wall median, idle
machine). The first offline answer costs more: it builds the retrieval index over the rules and the lexicon.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEAL = ROOT / "examples" / "deals" / "northwind-validation.yaml"
BIN = Path(sys.executable).parent
TARGET = 0.2
FLOOR = "import yaml\nfrom pydantic import BaseModel\nclass Deal(BaseModel):\n    id: str\nDeal(id='x')"
"""What any command that reads a deal file pays before ae-coach's own code: the YAML library, pydantic, and
one model's validator (whose first build imports ``importlib.metadata`` for pydantic's plugin lookup)."""


def _commands(before: str | None) -> dict[str, tuple[list[str], str | None, str]]:
    """name -> (argv, stdin, home): each installation has a home of its own (see the module's docstring)."""
    commands = {
        "python -c pass": ([sys.executable, "-c", "pass"], None, "after"),
        "floor: yaml + pydantic + one model": ([sys.executable, "-c", FLOOR], None, "after"),
    }
    if before:
        commands.update({f"before: {k}": (*v, "before") for k, v in _cli_commands(before).items()})
    commands.update({k: (*v, "after") for k, v in _cli_commands(str(BIN / "ae-coach")).items()})
    return commands


def _cli_commands(cli: str) -> dict[str, tuple[list[str], str | None]]:
    return {
        "ae-coach --version": ([cli, "--version"], None),
        "ae-coach review (offline)": ([cli, "review", str(DEAL), "--backend", "offline", "--no-log"], None),
        "ae-coach review -f json": ([cli, "review", str(DEAL), "--backend", "offline", "--no-log", "-f", "json"], None),
        "ae-coach chat (offline, start: no question)": (
            [cli, "chat", str(DEAL), "--backend", "offline", "--no-log"],
            "",
        ),
        "ae-coach chat (offline, 1 question)": (
            [cli, "chat", str(DEAL), "--backend", "offline", "--no-log"],
            "what's the next step?\n",
        ),
    }


def _run(argv: list[str], stdin: str | None, env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, input=stdin, text=True, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="?", type=int, default=15, help="rounds of every command (default 15)")
    parser.add_argument(
        "--before", metavar="OTHER/ae-coach", help="another installation's ae-coach, timed in the same rounds"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("RUNS must be at least 1")
    if args.before and not Path(args.before).is_file():
        parser.error(f"--before {args.before}: no such file")
    return args


def _checkout_of(python: Path) -> Path | None:
    """The directory ``python``'s ae_coach package is imported from, or None when it has none."""
    found = subprocess.run(
        [str(python), "-c", "import ae_coach; print(ae_coach.__file__)"], capture_output=True, text=True
    )
    return Path(found.stdout.strip()).resolve().parent if found.returncode == 0 else None


def main() -> int:
    args = _arguments()
    package = _checkout_of(Path(sys.executable))
    if package != ROOT / "src" / "ae_coach" or not (BIN / "ae-coach").is_file():
        print(
            f"{sys.executable} runs ae_coach from {package}, not this checkout's {ROOT / 'src' / 'ae_coach'}: "
            "run this script with the checkout's .venv/bin/python",
            file=sys.stderr,
        )
        return 2
    runs = args.runs
    commands = _commands(args.before)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        envs = {}
        for which in ("before", "after"):
            home = Path(tmp) / which
            env = {**os.environ, "NO_COLOR": "1", "AE_COACH_HOME": str(home), "AE_COACH_DB": str(home / "h.db")}
            # no key: the offline coach; bytecode written as an installed package has it (pip compiles on install)
            for key in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "AE_COACH_BACKEND", "PYTHONDONTWRITEBYTECODE"):
                env.pop(key, None)
            envs[which] = env
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for argv, stdin, which in commands.values():  # warm the file cache, the .pyc files and the caches
            _run(argv, stdin, envs[which])
        for _ in range(runs):
            for name, (argv, stdin, which) in commands.items():
                times[name].append(_run(argv, stdin, envs[which]))
    base_wall = statistics.median(w for w, _ in times["python -c pass"])
    base_cpu = statistics.median(c for _, c in times["python -c pass"])
    print(
        f"start-up, {runs} runs each, in turn; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores"
    )
    print(f"  {'command':54} {'wall':>8} {'- pass':>8} {'cpu':>8} {'- pass':>8} {'wait':>8}")
    for name, samples in times.items():
        wall = statistics.median(w for w, _ in samples)
        cpu = statistics.median(c for _, c in samples)
        wait = statistics.median(w - c for w, c in samples)
        print(
            f"  {name:54} {wall * 1000:6.0f}ms {(wall - base_wall) * 1000:6.0f}ms "
            f"{cpu * 1000:6.0f}ms {(cpu - base_cpu) * 1000:6.0f}ms {wait * 1000:6.0f}ms"
        )
    for name in ("ae-coach review (offline)", "ae-coach chat (offline, start: no question)"):
        wall = statistics.median(w for w, _ in times[name])
        cpu = statistics.median(c for _, c in times[name])
        print(
            f"{name}: {wall:.3f} s wall, {cpu:.3f} s cpu (target < {TARGET} s): {'met' if wall < TARGET else 'NOT met'}"
        )
    if statistics.median(w - c for w, c in times["ae-coach review (offline)"]) > 0.02:
        print("the runs waited for a processor (wait > 20 ms): the machine is busy, wall times overstate start-up")
    return 0


if __name__ == "__main__":
    sys.exit(main())
