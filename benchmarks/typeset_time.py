"""Median time from navigation to math shown, per page of the built site, in headless Chromium.

Not a test: it prints a table. Each load is a first visit (a fresh browser context, empty cache),
served offline from the build at the site_url origin exactly as the browser tests serve it
(backprop_site/browser.py). The time is measured inside the page, from the start of the
navigation (performance.timeOrigin) to the moment the page has loaded, its fonts are in and every
formula is there (an mjx-container in each .arithmatex).

    .venv/bin/python benchmarks/typeset_time.py                  # site/ if built, else a fresh build
    .venv/bin/python benchmarks/typeset_time.py --repeats 9 --site /tmp/site
    .venv/bin/python benchmarks/typeset_time.py --json docs/assets/performance/first-visit.json
    .venv/bin/python benchmarks/typeset_time.py --phone          # at 390x844 instead of 1280x800
    # two builds, before and after a change, timed turn about (load 1 of A, of B, 2 of A, ...):
    .venv/bin/python benchmarks/typeset_time.py --site /tmp/before --json before.json \
        --site site --json after.json
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from backprop_site import browser as bc

ROOT = Path(__file__).resolve().parents[1]

# Run once the load event has passed: performance.now() once the math is shown, or what is wrong.
SHOWN_MS_JS = """async () => {
  const shown = (async () => {
    await document.fonts.ready;
    const missing = [...document.querySelectorAll(".arithmatex")]
      .filter((el) => !el.querySelector("mjx-container")).length;
    return missing ? `${missing} formulas not shown` : performance.now();
  })();
  const late = new Promise(r => setTimeout(() => r("math not shown within 20 s"), 20000));
  return Promise.race([shown, late]);
}"""


def time_page(browser, server, path, viewport=bc.DESKTOP):
    """Milliseconds from navigation start to math shown, for one first visit; and the number
    of typeset math elements (mjx-container, so notebook math counts too)."""
    context = browser.new_context(viewport=viewport)
    try:
        server.attach(context)
        page = context.new_page()
        page.goto(server.url(path), wait_until="commit")
        page.wait_for_load_state("load")
        result = page.evaluate(SHOWN_MS_JS)
        if isinstance(result, str):
            raise RuntimeError(f"{path or 'home page'}: {result}")
        return result, page.evaluate("() => document.querySelectorAll('mjx-container').length")
    finally:
        context.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="loads per page (default 5)")
    parser.add_argument("--site", type=Path, action="append",
                        help="built site folder (default: site/, else build); give it twice, say "
                             "before and after a change, and the two are timed turn about, page "
                             "by page, so that both see the same load on a shared machine")
    parser.add_argument("--phone", action="store_true",
                        help=f"a phone's screen, {bc.PHONE['width']}x{bc.PHONE['height']}, instead of "
                             f"{bc.DESKTOP['width']}x{bc.DESKTOP['height']}")
    parser.add_argument("--json", type=Path, action="append",
                        help="also write the results to this file (one --json per --site)")
    args = parser.parse_args()
    if args.json and len(args.json) != len(args.site or [None]):
        parser.error("give one --json per --site")
    viewport = bc.PHONE if args.phone else bc.DESKTOP

    reason = bc.missing_browser_reason()
    if reason:
        sys.exit(reason)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        sites = args.site
        if not sites:
            site = ROOT / "site"
            if not (site / "index.html").is_file():
                print("site/ is not built: building it into a temporary folder", file=sys.stderr)
                site = bc.build_site(ROOT / "mkdocs.yml", Path(tmp) / "site")
            sites = [site]
        servers = [bc.SiteServer(site, bc.read_site_url()) for site in sites]
        paths = bc.page_paths_from_site(sites[0])
        for site in sites[1:]:
            if bc.page_paths_from_site(site) != paths:
                sys.exit(f"{site} does not have the pages of {sites[0]}")
        results = [[] for _ in sites]
        # The machine may be shared: its load average, before and after, goes into the JSON.
        load_before = os.getloadavg()
        with sync_playwright() as playwright:
            browser = bc.launch(playwright)
            chromium = browser.version
            try:
                for path in paths:
                    times, counts = [[] for _ in sites], [0 for _ in sites]
                    for _ in range(args.repeats):
                        for i, server in enumerate(servers):
                            ms, counts[i] = time_page(browser, server, path, viewport)
                            times[i].append(ms)
                    for i, rows in enumerate(results):
                        rows.append({
                            "page": bc.page_id(path),
                            "math": counts[i],
                            "median_ms": statistics.median(times[i]),
                            "min_ms": min(times[i]),
                            "max_ms": max(times[i]),
                        })
            finally:
                browser.close()
        machine = {
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(),
            "load_average_1min": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
            "chromium": chromium,
            "viewport": f"{viewport['width']}x{viewport['height']}",
        }

    for site, rows in zip(sites, results):
        width = max(len(row["page"]) for row in rows)
        print(f"Navigation to math shown, headless Chromium at {machine['viewport']}, median of "
              f"{args.repeats} first visits"
              + (f": {site}" if len(sites) > 1 else ""))
        print(f"{'page':<{width}}  {'math':>5}  {'median ms':>9}  {'min ms':>7}  {'max ms':>7}")
        for row in rows:
            print(f"{row['page']:<{width}}  {row['math']:>5}  {row['median_ms']:>9.0f}  "
                  f"{row['min_ms']:>7.0f}  {row['max_ms']:>7.0f}")
        overall = statistics.median(row["median_ms"] for row in rows)
        print(f"{'median of the pages':<{width}}  {'':>5}  {overall:>9.0f}")
    start, end = machine["load_average_1min"]
    print(f"load average (1 min): {start:.1f} at the start, {end:.1f} at the end; "
          f"{machine['cpus']} CPUs")
    for file, rows in zip(args.json or [], results):
        file.write_text(
            json.dumps({"repeats": args.repeats, "machine": machine, "pages": rows}, indent=2) + "\n"
        )


if __name__ == "__main__":
    main()
