"""Guard: every python fence under docs/ runs as a test, and none is skipped silently.

pytest-markdown-docs skips a fence without a word when it cannot parse its container, when the
info string is misspelt, or when an option is written in a form it does not read. This module
scans each page with its own simple line scanner, independent of markdown-it, and compares the
fences it finds with the test ids that ``pytest --collect-only`` (the project's real
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
from dataclasses import dataclass
from pathlib import Path

import pytest

from sitebuild import ROOT, load_file

DOCS = ROOT / "docs"

PYTHON_LANGS = {"python", "py", "python3"}
# Options pytest-markdown-docs reads; in brace form they are bare words, never `.word`.
PLUGIN_OPTIONS = {"notest", "continuation"}
FENCE_OPEN = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
NOTEST_REASON = re.compile(r"^\s*<!--\s*notest:\s*(?P<reason>.*?)\s*-->\s*$")
TEST_ID = re.compile(r"^(?P<path>\S+?\.md)::\[CodeFence#\d+\]\[line:(?P<line>\d+)\]$")


@dataclass(frozen=True)
class Fence:
    line: int  # 1-based line of the opening fence, as in the plugin's test ids
    info: str  # the info string, stripped
    previous: str  # the line right before the opening fence ("" on line 1)

    @property
    def brace_form(self) -> bool:
        return self.info.startswith("{")

    @property
    def words(self) -> list[str]:
        return self.info.strip("{} ").split()

    @property
    def lang(self) -> str:
        if self.brace_form:
            classes = [w[1:] for w in self.words if w.startswith(".")]
            return classes[0].lower() if classes else ""
        return self.words[0].lower() if self.words else ""

    @property
    def options(self) -> set[str]:
        """Option words as the plugin reads them (brace form: words that are not classes)."""
        if self.brace_form:
            return {w for w in self.words if not w.startswith((".", "#")) and "=" not in w}
        return {w for w in self.words[1:] if "=" not in w}

    @property
    def notest(self) -> bool:
        return "notest" in self.options


def scan_fences(text: str) -> list[Fence]:
    """Every fenced block of a Markdown page, at any indentation (admonitions, tabs, lists).

    Lines inside a fence are skipped, so a fence shown inside a longer ```` ```markdown ````
    example is not taken for a real one. A fence closes on a line of at least as many of
    the same character, indented less than four spaces beyond the opening fence.
    """
    lines = text.splitlines()
    fences = []
    i = 0
    while i < len(lines):
        match = FENCE_OPEN.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence = len(match["indent"]), match["fence"]
        fences.append(Fence(i + 1, match["info"].strip(), lines[i - 1] if i else ""))
        close = re.compile(rf"^ {{0,{indent + 3}}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        i += 1
        while i < len(lines) and not close.match(lines[i]):
            i += 1
        i += 1
    return fences


def page_problems(text: str, collected_lines: set[int]) -> list[str]:
    """Rule violations on one page, given the lines of the fences the plugin collected."""
    problems = []
    python_lines = set()
    for fence in scan_fences(text):
        where = f"line {fence.line} ({fence.info!r})"
        if fence.lang not in PYTHON_LANGS:
            continue
        python_lines.add(fence.line)
        dotted = {w[1:] for w in fence.words if w.startswith(".")} & PLUGIN_OPTIONS
        if fence.brace_form and dotted:
            problems.append(
                f"{where}: the dot form {sorted(dotted)} is ignored by pytest-markdown-docs; "
                f"write the bare word, e.g. {{.python notest}}"
            )
        if not fence.brace_form and fence.options:
            problems.append(
                f"{where}: options outside braces break Material's rendering; "
                f"write {{.{fence.lang} {' '.join(sorted(fence.options))}}}"
            )
        if fence.notest:
            reason = NOTEST_REASON.match(fence.previous)
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
    lines = text.splitlines()
    blocks = [f for f in scan_fences(text) if f.lang in PYTHON_LANGS]
    assert blocks, "README.md has no python block (the usage example is expected)"
    for fence in blocks:
        indent = len(lines[fence.line - 1]) - len(lines[fence.line - 1].lstrip())
        body = []
        for line in lines[fence.line:]:
            if line.strip().startswith(("```", "~~~")):
                break
            body.append(line[indent:])
        # Blank lines keep the traceback's line numbers equal to README.md's.
        code = "\n" * fence.line + "\n".join(body)
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
        for fence in scan_fences(text):
            if fence.lang not in PYTHON_LANGS or fence.notest:
                continue
            session = dict(w.split("=", 1) for w in fence.words if "=" in w).get("session", "")
            session = session.strip('"')
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
