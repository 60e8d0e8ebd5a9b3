"""Make docs/report.png: the shipped corpus's HTML report in headless Chromium (Debian's chromium,
driven by Playwright; fonts-noto-cjk for the Chinese). Run from the repository root:

    harness report --html /tmp/report.html --baselines lead-3,oracle
    python docs/screenshot.py /tmp/report.html
    pngquant --force --quality 60-85 --output docs/report.png docs/report.png   # about 130 KB
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent / "report.png"


def main(page_path: str, chromium: str = "/usr/bin/chromium") -> None:
    """Screenshot the whole page at 1100 px wide, the drill-down showing faithful-plus-crypto."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        page.goto(Path(page_path).resolve().as_uri())
        page.select_option("#drill-system", label="faithful-plus-crypto")  # matches and off-topic marks both
        page.screenshot(path=str(OUT), full_page=True)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
