"""The files served for the in-browser Run button (hooks/pyodide_runtime.py): pinned, hash-checked,
licensed, and each page's blocks described as the build ran them."""

import hashlib
import json
import zipfile

import pytest

from backprop_site.repo import ROOT, load_file

runtime = load_file(ROOT / "hooks" / "pyodide_runtime.py", "pyodide_runtime")


@pytest.fixture(scope="module")
def served(built_site):
    return built_site / runtime.TARGET


def test_every_runtime_file_served_is_the_pinned_one(served):
    lock = json.loads((served / "pyodide-lock.json").read_text())
    assert lock["info"]["version"] == "0.27.7", lock["info"]
    expected = dict(runtime.CORE)
    expected |= {lock["packages"][name]["file_name"]: lock["packages"][name]["sha256"]
                 for name in runtime.PACKAGES}
    for name, sha in expected.items():
        got = hashlib.sha256((served / name).read_bytes()).hexdigest()
        assert got == sha, f"{name}: sha256 {got}, the pin or lock file says {sha}"


def test_a_file_that_does_not_match_is_refused():
    with pytest.raises(ValueError, match="sha256 .*expected"):
        runtime._check("numpy.whl", b"not numpy", runtime.CORE["pyodide.asm.wasm"])


def test_notice_names_every_served_file_and_its_licence(served):
    notice = (served / "NOTICE.txt").read_text()
    config = json.loads((served / "runner.json").read_text())
    binaries = [p.name for p in served.iterdir() if p.suffix in {".js", ".wasm", ".zip", ".whl", ".json"}
                and p.name not in {"runner.json"}]
    missing = [name for name in binaries if name not in notice]
    assert not missing, f"NOTICE.txt does not name {missing}"
    for licence in ("MPL-2.0", "BSD-3-Clause", "PSF-2.0", "MIT"):
        assert licence in notice, licence
    assert config["wheel"].startswith("backprop_derived-") and (served / config["wheel"]).is_file()


def test_the_package_wheel_holds_src_and_nothing_is_left_in_the_tree(served):
    config = json.loads((served / "runner.json").read_text())
    with zipfile.ZipFile(served / config["wheel"]) as wheel:
        names = set(wheel.namelist())
    modules = {f"backprop/{p.name}" for p in (ROOT / "src" / "backprop").glob("*.py")}
    assert modules <= names, modules - names
    assert not (ROOT / "build").exists(), "a wheel build wrote build/ into the repository"


def test_blocks_are_described_with_their_session_and_whether_they_run():
    page = "\n".join([
        "```python", "print(1)", "```",
        '```{.python session="s"}', "x = 1", "```",
        "    ```{.python notest}", "    quoted", "    ```",
        '```{.python html="on" source=""}', "print('<svg/>')", "```",
        "````markdown", "```python", "not a fence", "```", "````",
        '```{.python session="s"}', "y = x", "```",
    ])
    assert runtime.shown_blocks(page) == [
        {"session": "", "run": True},
        {"session": "s", "run": True},
        {"session": "", "run": False},
        {"session": "s", "run": True},
    ]
