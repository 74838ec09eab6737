"""Render the three HTML reports (a deal review, a pipeline review, an eval comparison) and screenshot each in
headless Chromium, so a person (or a test) can look at what a reader sees.

    python scripts/screenshot_reports.py OUT_DIR

Writes ``deal.html``, ``pipeline.html``, ``eval-compare.html`` and a PNG of each into OUT_DIR, prints one
line per page, and exits 1 when a screenshot is missing or blank. Needs ``chromium`` (Debian's package) on
PATH; without it, exits 2. Everything runs offline through the installed ``ae-coach`` command.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # no name resolves: a page that needed the network would show it
)
PAGES = {
    "deal": (["review", "examples/deals/northwind-validation.yaml", "--no-log", "-f", "html"], 5600),
    "pipeline": (
        [
            "pipeline",
            "examples/pipelines/salesforce-pipeline.csv",
            "--quota",
            "1M",
            "--as-of",
            "2026-11-26",
            "--no-log",
            "-f",
            "html",
        ],
        2400,
    ),
    "eval-compare": (["eval", "compare", "evals/example-deals.yaml", "--format", "html"], 2000),
}
"""Each page: the ae-coach arguments that write it, and the screenshot's height in pixels."""


def chromium() -> str | None:
    """The Chromium binary, if one is installed."""
    return next((found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None)


def _ae_coach() -> list[str]:
    return [sys.executable, "-m", "ae_coach"]


def render(out: Path, work: Path) -> dict[str, Path]:
    """Write each page's HTML into ``out``; the eval comparison removes one rule from a copy of the rulebook."""
    rules = work / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "deal-economic-buyer.md").unlink()
    env = {**os.environ, "AE_COACH_HOME": str(work / "home"), "AE_COACH_DB": str(work / "history.db")}
    env["AE_COACH_BACKEND"] = "offline"
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"):
        env.pop(name, None)
    pages = {}
    for name, (args, _) in PAGES.items():
        target = out / f"{name}.html"
        extra = ["--rules", str(rules), "--runs-dir", str(work / "runs")] if name == "eval-compare" else []
        done = subprocess.run(
            [*_ae_coach(), *args, *extra, "-o", str(target)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if not target.is_file():
            raise RuntimeError(f"{name}: ae-coach exited {done.returncode}: {done.stderr.strip()}")
        pages[name] = target
    return pages


def screenshot(browser: str, page: Path, png: Path, height: int, profile: Path) -> None:
    """One PNG of ``page``, 1200 pixels wide, with a fresh profile (no state, no network beyond the file)."""
    subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size=1200,{height}",
            f"--screenshot={png}",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )


def blank(png: Path) -> bool:
    """A missing file, or one colour only (nothing drew)."""
    if not png.is_file() or png.stat().st_size < 5_000:
        return True
    from PIL import Image

    with Image.open(png) as image:
        return len(image.convert("L").getcolors(maxcolors=256) or []) <= 1


def main(out: Path) -> int:
    browser = chromium()
    if browser is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, page in render(out, work).items():
            png = out / f"{name}.png"
            png.unlink(missing_ok=True)
            screenshot(browser, page, png, PAGES[name][1], work / f"profile-{name}")
            bad = blank(png)
            failed += bad
            print(f"{name}: {page.name} -> {png.name}" + (" BLANK OR MISSING" if bad else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")))
