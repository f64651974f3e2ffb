"""The counting rules of scripts/page_stats.py, on small made-up pages."""

import re

from backprop_site.repo import ROOT, load_file

page_stats = load_file(ROOT / "scripts" / "page_stats.py", "page_stats")

CODE = '''\
import numpy as np
from pathlib import Path

# a comment line
x = np.arange(3)
y = x @ x
assert y == 5, (
    y,
)
np.testing.assert_allclose(
    y, 5)
text = Path("docs/page.md").read_text()
for k in range(2):
    print(k * y)
    assert k < 2
try:
    x.reshape(2, 2)
except ValueError:
    raise AssertionError("no")
'''


def test_computation_lines_follow_statements():
    # computation: x =, y =, for, print, try:, x.reshape, except  -> 7 lines;
    # not: 2 imports, blank, comment, 3-line assert, 2-line np.testing, Path read_text,
    # the assert in the loop, raise AssertionError
    assert page_stats.computation_lines(CODE) == 7


def test_code_that_does_not_parse_is_read_line_by_line():
    code = "x = (1,\nimport os\nassert x\nprint(x)"
    assert page_stats.computation_lines(code) == 2  # "x = (1," and print(x)


PAGE = '''\
# Title

Some prose here, five words.

$$
a = b + c \\tag{1.1}
$$

<!-- figure: network -->

| a | b |
|---|---|
| one | two |

```python
x = 1
print(x)
```

??? check "Check: hidden"

    ```{.python session="p"}
    assert True
    ```

???+ note "Open"

    ```python
    y = 2
    ```

!!! note

    ```{.python html="on" source=""}
    print("<svg></svg>")
    ```

<!-- notest: needs torch -->
```{.python notest}
import torch
```

```text
not python
```
'''


def test_split_page_visibility(tmp_path):
    outside, fences = page_stats.split_page(PAGE, tmp_path)
    assert [f.code for f in fences] == [
        "x = 1\nprint(x)", "assert True", "y = 2", 'print("<svg></svg>")', "import torch"]
    assert [f.visible for f in fences] == [True, False, True, False, True]
    assert [f.notest for f in fences] == [False, False, False, False, True]
    assert not any("x = 1" in line or "not python" in line for line in outside)


def test_prose_words_skip_code_maths_comments_and_table_rules(tmp_path):
    outside, _ = page_stats.split_page(PAGE, tmp_path)
    words = page_stats.prose_words(outside)
    # "# Title" 2, prose 5, table 3 + 3 ("| a | b |" has 5 tokens: |, a, |, b, |), the
    # admonition titles: '??? check "Check: hidden"' 4, '???+ note "Open"' 3, '!!! note' 2
    assert words == 2 + 5 + 5 + 5 + 4 + 3 + 2


def test_snippet_lines_count_as_the_lines_they_include(tmp_path):
    (tmp_path / "mod.py").write_text(
        "a = 1\n    # --8<-- [start:part]\n    b = a + 1\n    c = b\n    # --8<-- [end:part]\n")
    page = '```{.python notest}\n--8<-- "mod.py:part"\n```\n'
    _, fences = page_stats.split_page(page, tmp_path)
    assert fences[0].code == "b = a + 1\nc = b"


def test_printed_lines_of_the_result_boxes():
    page_html = (
        '<div class="language-python highlight"><pre><code>print(1)</code></pre></div>'
        '<div class="result">\n<div class="language-text highlight"><pre><span></span>'
        "<code>a &lt; b\nwider line\n</code></pre></div>\n</div>"
    )
    assert page_stats.printed_lines(page_html) == [["a < b", "wider line"]]


def test_the_table_for_a_small_site(tmp_path, capsys):
    (tmp_path / "docs" / "answer").mkdir(parents=True)
    (tmp_path / "docs" / "answer" / "q.md").write_text(PAGE)
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nTwo words.\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nnav:\n  - Home: index.md\n  - The answer:\n      - answer/q.md\n")
    assert page_stats.nav_answer_pages(tmp_path) == ["answer/q.md"]
    assert page_stats.main([str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()[2:]
    rows = {cells[0]: cells[1:] for cells in (re.split(r"\s{2,}", s.strip()) for s in lines)}
    assert rows["pages"] == ["1", "2"]
    assert rows["prose words"] == ["26", "30"]  # + "# Home" and "Two words."
    # visible: "x = 1", "print(x)", "y = 2", "import torch"; computation: the first three
    assert rows["visible code lines"] == ["4", "4"]
    assert rows["computation share"] == ["75%", "75%"]
    assert rows["outputs shown"] == ["1", "1"]  # the printing fence whose code is shown
    assert rows["widest code line"] == ["12", "12"]


def test_outputs_and_printed_width_come_from_the_built_site(tmp_path, capsys):
    (tmp_path / "docs" / "answer").mkdir(parents=True)
    (tmp_path / "docs" / "answer" / "q.md").write_text(PAGE)
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nnav:\n  - Home: index.md\n  - The answer:\n      - answer/q.md\n")
    site = tmp_path / "site"
    (site / "answer" / "q").mkdir(parents=True)
    box = ('<div class="result">\n<div class="language-text highlight"><pre><span></span>'
           "<code>{}\n</code></pre></div>\n</div>")
    (site / "answer" / "q" / "index.html").write_text(
        box.format("1") + box.format("x" * 20 + "\nshort"))
    (site / "index.html").write_text("<p>no code</p>")
    assert page_stats.main([str(tmp_path), "--site", str(site)]) == 0
    lines = capsys.readouterr().out.splitlines()[2:]
    rows = {cells[0]: cells[1:] for cells in (re.split(r"\s{2,}", s.strip()) for s in lines)}
    assert rows["outputs shown"] == ["2", "2"]  # the result boxes, not the printing fences
    assert rows["widest printed line"] == ["20", "20"]
