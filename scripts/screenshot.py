#!/usr/bin/env python3
"""Screenshot built pages in headless Chromium, to look at them as a reader would.

    python scripts/screenshot.py site/kaiser-mad-podcast/index.html out.png [--dark] [--width 1280]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("page")
    ap.add_argument("png")
    ap.add_argument("--dark", action="store_true")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--full", action="store_true", help="whole page, not just the first screen")
    ap.add_argument("--print", dest="print_", action="store_true", help="emulate print media")
    args = ap.parse_args()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height},
                                color_scheme="dark" if args.dark else "light")
        if args.print_:
            page.emulate_media(media="print")
        page.goto(Path(args.page).resolve().as_uri())
        page.screenshot(path=args.png, full_page=args.full)
        browser.close()


if __name__ == "__main__":
    main()
