"""Median time from navigation to math typeset, per page of the built site, in headless Chromium.

Not a test: it prints a table. Each load is a first visit (a fresh browser context, empty cache),
served offline from the build at the site_url origin exactly as the browser tests serve it
(tests/browser/browser_checks.py). The time is measured inside the page: from the start of the
navigation (performance.timeOrigin) to the moment MathJax's startup promise has resolved and the
fonts are loaded, so Playwright's own round trips are not counted.

    .venv/bin/python benchmarks/typeset_time.py                  # site/ if built, else a fresh build
    .venv/bin/python benchmarks/typeset_time.py --repeats 9 --site /tmp/site
    .venv/bin/python benchmarks/typeset_time.py --json typeset.json   # also write the numbers
"""

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
import browser_checks as bc  # noqa: E402

TYPESET_MS_JS = "async () => { const problem = await (" + bc.SETTLE_JS + ")(); " + (
    "return problem ? problem : performance.now(); }"
)


def time_page(browser, server, path, repeats):
    """Milliseconds from navigation start to math typeset, one per repeat; and the number of
    typeset math elements (mjx-container, so notebook math counts too)."""
    times, count = [], 0
    for _ in range(repeats):
        context = browser.new_context(viewport=bc.DESKTOP)
        try:
            server.attach(context)
            page = context.new_page()
            page.goto(server.url(path), wait_until="commit")
            result = page.evaluate(TYPESET_MS_JS) if _wait_for_mathjax(page) else "no MathJax"
            if isinstance(result, str):
                raise RuntimeError(f"{path or 'home page'}: {result}")
            times.append(result)
            count = page.evaluate("() => document.querySelectorAll('mjx-container').length")
        finally:
            context.close()
    return times, count


def _wait_for_mathjax(page):
    page.wait_for_load_state("load")
    return page.evaluate("() => Boolean(window.MathJax && MathJax.startup)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="loads per page (default 5)")
    parser.add_argument("--site", type=Path, help="built site folder (default: site/, else build)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()

    reason = bc.missing_browser_reason()
    if reason:
        sys.exit(reason)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = ROOT / "site"
            if not (site / "index.html").is_file():
                print("site/ is not built: building it into a temporary folder", file=sys.stderr)
                site = bc.build_site(ROOT / "mkdocs.yml", Path(tmp) / "site")
        server = bc.SiteServer(site, bc.read_site_url())
        rows = []
        with sync_playwright() as playwright:
            browser = bc.launch(playwright)
            try:
                for path in bc.page_paths_from_site(site):
                    times, count = time_page(browser, server, path, args.repeats)
                    rows.append({
                        "page": bc.page_id(path),
                        "math": count,
                        "median_ms": statistics.median(times),
                        "min_ms": min(times),
                        "max_ms": max(times),
                    })
            finally:
                browser.close()

    width = max(len(row["page"]) for row in rows)
    print(f"Navigation to math typeset, headless Chromium, median of {args.repeats} first visits")
    print(f"{'page':<{width}}  {'math':>5}  {'median ms':>9}  {'min ms':>7}  {'max ms':>7}")
    for row in rows:
        print(f"{row['page']:<{width}}  {row['math']:>5}  {row['median_ms']:>9.0f}  "
              f"{row['min_ms']:>7.0f}  {row['max_ms']:>7.0f}")
    overall = statistics.median(row["median_ms"] for row in rows)
    print(f"{'median of the pages':<{width}}  {'':>5}  {overall:>9.0f}")
    if args.json:
        args.json.write_text(json.dumps({"repeats": args.repeats, "pages": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
