"""Guard: every python fence under docs/ runs as a test, and none is skipped silently.

pytest-markdown-docs skips a fence without a word when it cannot parse its container, when the
info string is misspelt, or when an option is written in a form it does not read. This module
scans each page with backprop_site.fences (fences as pymdownx.superfences renders them, not
markdown-it, which the plugin uses), and compares the fences it finds with the test ids that ``pytest --collect-only`` (the project's real
configuration and conftest hook) reports for the same page. It also enforces the notest rules
written in README.md:

* a fence marked ``notest`` is in brace form, ``{.python notest}``, and the line right before it
  is ``<!-- notest: reason -->`` with a non-empty reason;
* the bare form ``python notest`` (breaks Material's rendering) and the dot form
  ``{.python .notest}`` (silently ignored by the plugin, so the block runs) are errors.

``test_guard_rules_fire`` runs the same checks on a small fixture page to show each rule fires.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from backprop_site.fences import PYTHON, scan
from backprop_site.repo import ROOT, load_file

DOCS = ROOT / "docs"

# Options pytest-markdown-docs reads; in brace form they are bare words, never `.word`.
PLUGIN_OPTIONS = {"notest", "continuation"}
NOTEST_REASON = re.compile(r"^\s*<!--\s*notest:\s*(?P<reason>.*?)\s*-->\s*$")
TEST_ID = re.compile(r"^(?P<path>\S+?\.md)::\[CodeFence#\d+\]\[line:(?P<line>\d+)\]$")


def page_problems(text: str, collected_lines: set[int]) -> list[str]:
    """Rule violations on one page, given the lines of the fences the plugin collected."""
    problems = []
    python_lines = set()
    lines = text.split("\n")
    for fence in scan(text):
        where = f"line {fence.line} ({fence.info!r})"
        lang, options, words = fence.parsed
        if lang.lower() not in PYTHON:
            continue
        python_lines.add(fence.line)
        brace_form = "{" in fence.info
        dotted = {w[1:] for w in words if w.startswith(".")} & PLUGIN_OPTIONS
        if brace_form and dotted:
            problems.append(
                f"{where}: the dot form {sorted(dotted)} is ignored by pytest-markdown-docs; "
                f"write the bare word, e.g. {{.python notest}}"
            )
        if not brace_form and words:
            problems.append(
                f"{where}: options outside braces break Material's rendering; "
                f"write {{.{lang} {' '.join(words)}}}"
            )
        if "notest" in words:
            reason = NOTEST_REASON.match(lines[fence.line - 2] if fence.line > 1 else "")
            if not reason or not reason["reason"]:
                problems.append(
                    f"{where}: a notest fence needs `<!-- notest: reason -->` on the line right before it"
                )
        elif fence.line not in collected_lines:
            problems.append(
                f"{where}: python fence not collected by pytest-markdown-docs "
                "(check its container: two blank lines end an admonition or tab for the collector; "
                "the language must be lower-case python, py or python3)"
            )
    for line in sorted(collected_lines - python_lines):
        problems.append(f"line {line}: collected by the plugin, but the scanner sees no python fence there")
    return problems


def collected_fence_lines(target: Path, rootdir: Path = ROOT, *pytest_args: str) -> dict[Path, set[int]]:
    """Run the plugin's own collection of `target`; map each page to its fence lines.

    Run from `rootdir`, so the configuration (addopts) and conftest hook found there apply.
    """
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         *pytest_args, str(target)],
        cwd=rootdir,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"collection failed:\n{result.stdout}\n{result.stderr}"
    found: dict[Path, set[int]] = {}
    for line in result.stdout.splitlines():
        match = TEST_ID.match(line.strip())
        if match:
            found.setdefault((rootdir / match["path"]).resolve(), set()).add(int(match["line"]))
    return found


@pytest.fixture(scope="module")
def docs_collected() -> dict[Path, set[int]]:
    return collected_fence_lines(DOCS)


PAGES = sorted(DOCS.rglob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_python_fence_is_collected_and_notest_is_explained(page, docs_collected):
    problems = page_problems(page.read_text(encoding="utf-8"), docs_collected.get(page.resolve(), set()))
    assert not problems, f"{page.relative_to(ROOT)}:\n  " + "\n  ".join(problems)


def test_docs_have_pages_and_collected_fences(docs_collected):
    assert PAGES, "no Markdown page found under docs/"
    assert docs_collected.get((DOCS / "index.md").resolve()), (
        "pytest-markdown-docs collected no fence from docs/index.md: is --markdown-docs in addopts?"
    )


FIXTURE = '''\
# Fixture

```python
ok_top = 1
```

!!! note "Inside an admonition"
    ```python
    ok_admonition = 1
    ```

=== "Inside a tab"

    ```py
    ok_tab = 1
    ```

<!-- notest: shows the learner's original line, which needs their script around it -->
```{.python notest}
ok_explained = undefined_name
```

!!! warning "Two blank lines end the admonition for the collector"
    Text.


    ```python
    lost = 1
    ```

```{.python notest}
no_reason = undefined_name
```

<!-- notest: -->
```{.python notest}
empty_reason = undefined_name
```

<!-- notest: bare form -->
```python notest
bare = undefined_name
```

```{.python .notest}
dotted = 1
```

````markdown
```python
shown_not_run = 1
```
````
'''


def test_guard_rules_fire(tmp_path):
    """Each rule fires on its fixture fence, and the well-formed fences pass."""
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    page = tmp_path / "page.md"
    page.write_text(FIXTURE, encoding="utf-8")
    collected = collected_fence_lines(page, tmp_path, "--markdown-docs", "--markdown-docs-syntax=superfences")
    lines = collected.get(page.resolve(), set())
    fixture_lines = FIXTURE.splitlines()

    def line_of(text: str) -> int:
        """1-based line of the fence opening right above the first line containing `text`."""
        return next(i for i, line in enumerate(fixture_lines) if text in line)  # index = line - 1

    expected_collected = {line_of(name) for name in ("ok_top", "ok_admonition", "ok_tab", "dotted")}
    assert lines == expected_collected, f"collected fence lines {sorted(lines)}, expected {sorted(expected_collected)}"

    problems = page_problems(FIXTURE, lines)
    expected = {
        line_of("lost"): "not collected",
        line_of("no_reason"): "notest: reason",
        line_of("empty_reason"): "notest: reason",
        line_of("bare ="): "options outside braces",
        line_of("dotted"): "dot form",
    }
    for line, phrase in expected.items():
        hits = [p for p in problems if p.startswith(f"line {line} ") and phrase in p]
        assert hits, f"no problem containing {phrase!r} reported for line {line}; got:\n" + "\n".join(problems)
    assert len(problems) == len(expected), "unexpected problems:\n" + "\n".join(problems)


def test_readme_python_blocks_run():
    """README.md is outside the test paths; its python blocks run here, each in a fresh namespace."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [f for f in scan(text) if f.parsed.lang in PYTHON]
    assert blocks, "README.md has no python block (the usage example is expected)"
    for fence in blocks:
        # Blank lines keep the traceback's line numbers equal to README.md's.
        code = "\n" * fence.line + "\n".join(fence.code)
        exec(compile(code, str(ROOT / "README.md"), "exec"), {"__name__": "readme"})


def test_tab_rewrite_keeps_code_and_line_numbers():
    """The parser's tab rewrite changes tab title lines only, never the text of a code block."""
    module = load_file(ROOT / "conftest.py", "root_conftest")
    page = (
        "# Page\n\n"
        "Inline ```` ```python ```` is not a fence.\n\n"
        '=== "Tab"\n\n'
        "    ```python\n"
        "    text = \"\"\"\n"
        '    === "not a tab: text inside a string"\n'
        '    """\n'
        "    ```\n\n"
        '=== "Second tab"\n\n'
        "    ```py\n"
        "    second = 2\n"
        "    ```\n"
    )
    fences = [t for t in module.docs_markdown_parser().parse(page) if t.type == "fence"]
    assert [(f.map[0] + 1, f.info) for f in fences] == [(7, "python"), (15, "py")], fences
    assert '=== "not a tab: text inside a string"' in fences[0].content, fences[0].content


def test_code_inside_an_admonition_survives_two_empty_lines():
    """mdit's admonition rule ends at two empty lines; inside a fence that must not cut the code."""
    module = load_file(ROOT / "conftest.py", "root_conftest")
    page = '!!! note "Two empty lines"\n    ```python\n    a = 1\n\n\n    b = 2\n    ```\n'
    fences = [t for t in module.docs_markdown_parser().parse(page) if t.type == "fence"]
    assert [f.content for f in fences] == ["a = 1\n\n\nb = 2\n"], fences


def session_problems(pages: dict[str, str]) -> list[str]:
    """A session's fences follow each other on one page (markdown-exec shares a session's
    namespace across the whole build; the tests continue the previous fence)."""
    problems, owner = [], {}
    for name, text in pages.items():
        previous, closed = None, set()
        for fence in scan(text):
            lang, options, words = fence.parsed
            if lang.lower() not in PYTHON or "notest" in words:
                continue
            session = options.get("session", "")
            if session and owner.setdefault(session, name) != name:
                problems.append(f"{name} line {fence.line}: session {session} is also used on {owner[session]}")
            if session and session in closed:
                problems.append(f"{name} line {fence.line}: session {session} resumes after other blocks")
            if previous and previous != session:
                closed.add(previous)
            previous = session
    return problems


def test_sessions_are_consecutive_and_belong_to_one_page():
    pages = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in sorted(DOCS.rglob("*.md"))}
    assert not session_problems(pages), "\n".join(session_problems(pages))


def test_session_rules_fire():
    one = '```{.python session="s"}\na = 1\n```\n\n```python\nb = 2\n```\n\n```{.python session="s"}\nc = a\n```\n'
    two = '```{.python session="s"}\nd = 1\n```\n'
    problems = session_problems({"one.md": one, "two.md": two})
    assert any("resumes" in p for p in problems), problems
    assert any("also used on one.md" in p for p in problems), problems
    assert session_problems({"one.md": one.replace("```python\nb = 2\n```\n", "")}) == []
