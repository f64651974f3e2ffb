"""The "Math on first visit" table (hooks/typeset_table.py) shows what the benchmark's files hold."""

import json
import statistics

import pytest

from backprop_site.repo import ROOT, load_file

DOCS = ROOT / "docs"


def hook():
    return load_file(ROOT / "hooks" / "typeset_table.py", "typeset_hook")


def test_every_page_and_the_verdicts_come_from_the_files():
    typeset = hook()
    before = json.loads((DOCS / typeset.BEFORE).read_text())
    after = json.loads((DOCS / typeset.AFTER).read_text())
    table = typeset.table(before, after)
    rows = [line for line in table.splitlines() if line.startswith("| ") and "**" not in line]
    assert len(rows) == 1 + len(after["pages"]), table  # the header and one row per page
    for row in after["pages"]:
        assert f"| {row['page']} | {row['math']} |" in table, row["page"]
    median = statistics.median(row["median_ms"] for row in after["pages"])
    verdict = "holds" if median <= typeset.MEDIAN_TARGET_MS else "**does not hold**"
    assert f"≤ {typeset.MEDIAN_TARGET_MS} ms {verdict} ({median:.0f} ms)" in table, table


def test_the_page_keeps_the_marker_and_a_missing_file_fails(tmp_path):
    typeset = hook()
    assert typeset.MARKER in (DOCS / typeset.PAGE).read_text()
    with pytest.raises(FileNotFoundError, match="typeset_time.py --json"):
        typeset.load(tmp_path, typeset.BEFORE)
