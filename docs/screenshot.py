"""Make docs/report.png: an HTML report in headless Chromium (Debian's chromium, driven by
Playwright; fonts-noto-cjk for the Chinese). The shipped corpus has one document, too few for an
interval or a paired test, so the picture uses a 12-document set cut from the shipped article
(benchmarks/workload.py), with the lead-3 and oracle baselines and 1,000 bootstrap resamples.
Run from the repository root:

    python benchmarks/workload.py --systems 4 --docs 12 --out /tmp/set
    harness report --references /tmp/set/references.jsonl --candidates /tmp/set/candidates.jsonl \
        --baselines lead-3,oracle --bootstrap 1000 --html /tmp/report.html
    python docs/screenshot.py /tmp/report.html
    pngquant --force --quality 60-85 --output docs/report.png docs/report.png   # when installed
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent / "report.png"


def main(page_path: str, chromium: str = "/usr/bin/chromium", system: str = "sys01-sample") -> None:
    """Screenshot the whole page at 1100 px wide, the drill-down showing `system` (when it is there)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        page.goto(Path(page_path).resolve().as_uri())
        if page.locator("#drill-system option", has_text=system).count():
            page.select_option("#drill-system", label=system)
        page.screenshot(path=str(OUT), full_page=True)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
