"""MkDocs hook: the performance measurements' "Math on first visit" table, from the typeset benchmark.

``benchmarks/typeset_time.py --json FILE`` writes the time from navigation to math shown on
every page. Two such files, run back to back in one session on the site before and after a
change, are kept in docs/assets/performance/; at every build this hook turns them into the
table that replaces the marker below on docs/contributing/performance-measurements.md. A
missing marker or file fails the build.
"""

import json
import statistics
from pathlib import Path

PAGE = "contributing/performance-measurements.md"
MARKER = "<!-- typeset:before-after -->"
BEFORE = "assets/performance/typeset-before.json"
AFTER = "assets/performance/typeset-after.json"
# Issue 14, goal 4: median over the pages, and every page's median, in milliseconds.
MEDIAN_TARGET_MS = 500
PAGE_TARGET_MS = 800


def load(docs_dir, name):
    path = Path(docs_dir) / name
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: write it with `benchmarks/typeset_time.py --json {path}`"
        )
    return json.loads(path.read_text())


def _machine(results):
    m = results["machine"]
    start, end = m["load_average_1min"]
    return (f"{m['date'][:16].replace('T', ' ')} UTC, load average {start:.1f} at the start "
            f"and {end:.1f} at the end")


def _holds(ok):
    return "holds" if ok else "**does not hold**"


def table(before, after):
    """Markdown: where and how it was measured, one row per page, the two summary rows, targets."""
    m = after["machine"]
    when = (f"both columns in one run, the two builds loaded turn about: {_machine(after)}"
            if before["machine"] == m else f"before: {_machine(before)}; after: {_machine(after)}")
    lines = [
        f"Measured with `benchmarks/typeset_time.py`, median of {after['repeats']} cold first "
        f"visits per page, headless Chromium {m['chromium']}, {m['cpus']} CPUs shared with other "
        f"work; {when}.",
        "",
        "| page | math | before, ms | after, ms | after / before |",
        "|---|---:|---:|---:|---:|",
    ]
    old = {row["page"]: row for row in before["pages"]}
    for row in after["pages"]:
        was = old.get(row["page"])
        cells = (f"{was['median_ms']:.0f} | {row['median_ms']:.0f} | "
                 f"{row['median_ms'] / was['median_ms']:.2f}") if was else f"— | {row['median_ms']:.0f} | —"
        lines.append(f"| {row['page']} | {row['math']} | {cells} |")

    def medians(results):
        return [row["median_ms"] for row in results["pages"]]

    for label, pick in (("median of the pages", statistics.median), ("slowest page", max)):
        b, a = pick(medians(before)), pick(medians(after))
        lines.append(f"| **{label}** | | {b:.0f} | {a:.0f} | {a / b:.2f} |")
    median, slowest = statistics.median(medians(after)), max(after["pages"], key=lambda r: r["median_ms"])
    lines += [
        "",
        f"Targets, after: median of the pages ≤ {MEDIAN_TARGET_MS} ms "
        f"{_holds(median <= MEDIAN_TARGET_MS)} ({median:.0f} ms); every page ≤ {PAGE_TARGET_MS} ms "
        f"{_holds(slowest['median_ms'] <= PAGE_TARGET_MS)} (slowest: {slowest['page']}, "
        f"{slowest['median_ms']:.0f} ms).",
    ]
    return "\n".join(lines)


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise ValueError(f"{PAGE} has lost its marker {MARKER}; the hook needs it for the table")
    docs = config["docs_dir"]
    return markdown.replace(MARKER, table(load(docs, BEFORE), load(docs, AFTER)))
