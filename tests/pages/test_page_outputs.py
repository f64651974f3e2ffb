"""The check that a page shows what its blocks print can fail, on a small page built for real."""

import pytest

from backprop_site.page_outputs import python_fences, shown_blocks, shown_problem
from backprop_site.build import build as mkdocs_build
from backprop_site.repo import ROOT

# A figure as a block prints it, with a formula in it that the build typesets (and keeps on one
# line with the full stop after it).
FIGURE = '<div>figure 7, <span class="arithmatex">\\(a^{[1]}\\)</span>.</div>'
PAGE = '''# Outputs

```python
print(6 * 7)
```

```{.python session="outputs"}
x = 2
```

```{.python session="outputs"}
print(x + 1)
```

```{.python html="on" source=""}
''' + f"print({FIGURE!r})" + '''
```
'''


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> str:
    """PAGE built with the site's own mkdocs.yml settings (hooks, markdown-exec)."""
    tmp = tmp_path_factory.mktemp("outputs")
    (tmp / "docs").mkdir()
    (tmp / "docs" / "index.md").write_text(PAGE, encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    head = config.split("\nplugins:\n")[0]
    head = head.replace("hooks/", str(ROOT / "hooks") + "/").replace("custom_dir: overrides",
                                                                     f"custom_dir: {ROOT / 'overrides'}")
    head = head.replace("  - src/backprop", f"  - {ROOT / 'src' / 'backprop'}")
    plugins = "\nplugins:\n  - markdown-exec:\n      languages: [python]\n      ansi: off\n"
    (tmp / "mkdocs.yml").write_text(head + plugins + "nav:\n  - index.md\n", encoding="utf-8")
    result = mkdocs_build(tmp / "mkdocs.yml", tmp / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return (tmp / "site" / "index.html").read_text(encoding="utf-8")


def line_of(text: str) -> int:
    """start_line of the fence whose first code line is `text` (as pytest-markdown-docs counts)."""
    return PAGE.split("\n").index(text)


def test_the_build_shows_each_output_under_its_block(built):
    shown = shown_blocks(built)
    assert [s.output for s in shown] == ["42\n", None, "3\n"]
    assert "<div>figure 7, " in built and 'data-tex="a^{[1]}"' in built and "math-nowrap" in built
    assert len(python_fences(PAGE)) == 4


def test_what_the_blocks_print_now_passes(built):
    assert shown_problem(PAGE, built, line_of("print(6 * 7)"), "42\n") is None
    assert shown_problem(PAGE, built, line_of("x = 2"), "") is None
    assert shown_problem(PAGE, built, line_of("print(x + 1)"), "3\n") is None
    assert shown_problem(PAGE, built, line_of(f"print({FIGURE!r})"), FIGURE + "\n") is None


def test_a_changed_output_fails(built):
    assert "but the block now prints" in shown_problem(PAGE, built, line_of("print(6 * 7)"), "43\n")
    assert "prints, but" in shown_problem(PAGE, built, line_of("x = 2"), "2\n")
    assert "prints nothing" in shown_problem(PAGE, built, line_of("print(x + 1)"), "")
    figure = line_of(f"print({FIGURE!r})")
    assert "not in the built page" in shown_problem(PAGE, built, figure, FIGURE.replace("7", "8"))
    # the formula is compared too: its TeX is kept in the typeset page
    assert "not in the built page" in shown_problem(PAGE, built, figure, FIGURE.replace("[1]", "[2]"))
