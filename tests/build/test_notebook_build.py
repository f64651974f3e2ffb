"""mkdocs-jupyter as configured in mkdocs.yml: only docs/notebooks/ holds notebooks, each one
executes during the build, an error in one fails `mkdocs build --strict`, and no output is
reused from an earlier build.

Each test builds a small site in a temporary folder with the project's own mkdocs.yml (nav
replaced), hooks and scripts, so the real configuration is what is tested.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from backprop_site.build import command as build_command
from backprop_site.build import build as mkdocs_build, environment as build_env
from backprop_site.page_outputs import notebook_outputs
from backprop_site.repo import ROOT

NOTEBOOK = '''\
# %% [markdown]
# # A notebook
#
# Its output exists only if the build ran it.

# %%
from pathlib import Path
import backprop

print("value is", Path({value_file!r}).read_text().strip(), "from", backprop.__name__)

# %%
# An SVG plot and a line on stderr: test_notebooks.py reads both from built pages.
import sys
from IPython.display import SVG, display

display(SVG({svg!r}))
print("a line on stderr", file=sys.stderr)
'''

# A plot as matplotlib writes it: a title larger than the other text, black lines, a white
# background, text with no fill of its own.
SVG_PLOT = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="60pt" height="40pt" viewBox="0 0 60 40">'
    '<path d="M 0 40 L 60 40 L 60 0 L 0 0 z" style="fill: #ffffff"/>'
    '<path d="M 5 35 L 55 5" style="fill: none; stroke: #000000"/>'
    '<text style="font-size: 12px; font-family: sans-serif" x="5" y="12">Cost</text>'
    '<text style="font-size: 10px; font-family: sans-serif" x="5" y="38">step</text></svg>'
)

FAILING_NOTEBOOK = '''\
# %%
raise ValueError("deliberate failure in a notebook cell")
'''


def make_project(tmp_path: Path, notebooks: dict[str, str]) -> Path:
    """A copy of the site's configuration whose only pages are index.md and `notebooks`."""
    docs = tmp_path / "docs"
    (docs / "notebooks").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    # A Python file under docs/ that is not in notebooks/: a static file, never executed.
    (docs / "helper.py").write_text('raise SystemExit("docs/helper.py must not run")\n', encoding="utf-8")
    for name in ("javascripts", "stylesheets"):
        if (ROOT / "docs" / name).is_dir():
            shutil.copytree(ROOT / "docs" / name, docs / name)
    # Everything else the configuration may name (hooks/, overrides/, src/ for snippets, ...).
    for entry in ROOT.iterdir():
        if entry.name not in ("docs", "mkdocs.yml", "site") and not entry.name.startswith("."):
            (tmp_path / entry.name).symlink_to(entry)
    for name, text in notebooks.items():
        (docs / "notebooks" / name).write_text(text, encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    # The redirects name pages this small project does not have.
    config = re.sub(r"\n  - redirects:\n(?:      .*\n)+", "\n", config)
    head, nav_marker, _ = config.partition("\nnav:\n")
    assert nav_marker, "mkdocs.yml has no top-level nav"
    nav = "".join(f"  - notebooks/{name}\n" for name in notebooks)
    (tmp_path / "mkdocs.yml").write_text(f"{head}\nnav:\n  - index.md\n{nav}", encoding="utf-8")
    return tmp_path / "mkdocs.yml"


@pytest.fixture(scope="module")
def failing_build(tmp_path_factory):
    """The build of a project whose notebook raises, started when this module starts, so that it
    runs beside the other test's builds; yields the running process (output in files)."""
    tmp_path = tmp_path_factory.mktemp("failing")
    config = make_project(tmp_path, {"broken.py": FAILING_NOTEBOOK})
    with open(tmp_path / "output.txt", "w+", encoding="utf-8") as output:
        process = subprocess.Popen(
            build_command("--config-file", str(config), "--site-dir", str(tmp_path / "site")),
            cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT, text=True,
            env=build_env(),
        )
        try:
            yield process, output
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()


def test_notebooks_execute_each_build_and_nothing_else_is_a_notebook(tmp_path, failing_build):
    value_file = tmp_path / "value.txt"
    config = make_project(tmp_path, {"run.py": NOTEBOOK.format(value_file=str(value_file), svg=SVG_PLOT)})
    page = tmp_path / "site" / "notebooks" / "run" / "index.html"

    value_file.write_text("first")
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    assert "value is first from backprop" in page.read_text(encoding="utf-8"), "notebook output missing"
    assert (tmp_path / "site" / "helper.py").is_file(), "docs/helper.py should be copied as a static file"
    assert not (tmp_path / "site" / "helper").exists(), "docs/helper.py was turned into a page"
    # How a built notebook page is read (backprop_site.page_outputs), on a page this build made.
    html = page.read_text(encoding="utf-8")
    outputs = notebook_outputs(html)
    assert len(outputs["plots"]) == 1 and not outputs["png"], f"expected the one SVG plot: {outputs}"
    assert outputs["stderr"] == ["a line on stderr"], f"stderr output read as {outputs['stderr']}"
    # hooks/notebook_pages.py: the plot inline, in the theme's colours, named; no prompts
    plot = outputs["plots"][0]
    assert plot.startswith('<svg role="img" aria-label="Plot: Cost"'), plot[:200]
    assert "#000000" not in plot and "#ffffff" not in plot, plot
    assert "stroke: var(--md-default-fg-color)" in plot and "fill: var(--md-default-bg-color)" in plot
    assert not re.search(r'class="jp-(Input|Output)Prompt', html), "the In [n]: prompts are on the page"

    # What the notebook reads changes, its own bytes do not: a cache keyed on them would be stale.
    value_file.write_text("second")
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, f"rebuild failed:\n{result.stdout}\n{result.stderr}"
    html = page.read_text(encoding="utf-8")
    assert "value is second" in html and "value is first" not in html, "stale notebook output published"
    assert not (tmp_path / ".cache" / "mkdocs-jupyter").exists(), "mkdocs-jupyter's cache is on"


def test_an_error_in_a_notebook_fails_the_strict_build(failing_build):
    process, file = failing_build
    returncode = process.wait(timeout=900)
    file.seek(0)
    output = file.read()
    assert returncode != 0, f"build passed although a notebook cell raised:\n{output}"
    assert "deliberate failure in a notebook cell" in output, f"the failing cell is not reported:\n{output}"
