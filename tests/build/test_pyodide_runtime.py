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


def test_the_bytecode_served_belongs_to_the_pinned_sources(served):
    """The standard library served is Pyodide's zip, every entry unchanged, plus a .pyc beside
    some of its .py files; bytecode.zip holds only __pycache__ files of modules of numpy's wheel
    and the package's. Each .pyc is hash-checked against its source (PEP 552, flags 3)."""
    config = json.loads((served / "runner.json").read_text())
    lock = json.loads((served / runtime.RUNTIME_LOCK).read_text())
    with zipfile.ZipFile(served / runtime.STDLIB) as pinned, \
            zipfile.ZipFile(served / runtime.STDLIB_COMPILED) as compiled:
        for info in pinned.infolist():
            assert compiled.read(info.filename) == pinned.read(info), info.filename
        added = set(compiled.namelist()) - set(pinned.namelist())
        assert added and all(n.endswith(".pyc") and n[:-1] in pinned.namelist() for n in added), added
        assert all(compiled.read(n)[4:8] == (3).to_bytes(4, "little") for n in added)
    sources = set()
    for wheel in (lock["packages"]["numpy"]["file_name"], config["wheel"]):
        with zipfile.ZipFile(served / wheel) as z:
            sources |= {n for n in z.namelist() if n.endswith(".py")}
    with zipfile.ZipFile(served / runtime.BYTECODE) as z:
        names = z.namelist()
        assert all(z.read(n)[4:8] == (3).to_bytes(4, "little") for n in names)
    packages = "lib/python3.12/site-packages/"
    for name in names:
        folder, file = name[len(packages):].rsplit("/__pycache__/", 1)
        assert name.startswith(packages) and f"{folder}/{file.split('.')[0]}.py" in sources, name
    assert any(n.startswith(packages + "numpy/") for n in names)
    assert any(n.startswith(packages + "backprop/") for n in names)


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


def test_a_notebooks_cells_are_one_session_and_those_that_draw_do_not_run(tmp_path):
    notebook = tmp_path / "drawing.py"
    notebook.write_text("\n".join([
        "# %% [markdown]", "# Words", "",
        "# %%", "import numpy as np", "x = np.arange(3)", "",
        "# %%", '%config InlineBackend.figure_formats = ["svg"]', "import matplotlib.pyplot as plt", "",
        "# %%", "print(x.sum())", "",
        "# %%", "fig, ax = plt.subplots()", "",
    ]))
    why = {"session": "notebook", "run": False, "why": runtime.WHY_NOT_IN_BROWSER}
    assert runtime.notebook_cells(notebook) == [
        {"session": "notebook", "run": True}, why, {"session": "notebook", "run": True}, why]


def test_the_runtime_origin_is_one_setting():
    assert runtime.origin_of({"extra": {}}) == "self"
    assert runtime.origin_of({"extra": {runtime.SETTING: "jsdelivr"}}) == "jsdelivr"
    with pytest.raises(ValueError, match=f"extra: {runtime.SETTING}: 'unpkg' is not one of"):
        runtime.origin_of({"extra": {runtime.SETTING: "unpkg"}})


def test_self_hosted_everything_comes_from_the_site(served):
    config = json.loads((served / "runner.json").read_text())
    described = config["runtime"]
    assert config[runtime.SETTING] == "self"
    assert not [u for u in [described["script"], described["index"], *described["prefetch"]] if "://" in u]
    for url in described["prefetch"]:
        assert (served / url).is_file(), url
    # numpy's wheel is checked by the browser against the lock file's hash, served or not
    numpy = next(u for u in described["prefetch"] if u.startswith("numpy-"))
    sha = json.loads((served / runtime.RUNTIME_LOCK).read_text())["packages"]["numpy"]["sha256"]
    assert described["integrity"] == {numpy: runtime._sri(sha)}


def test_from_a_cdn_every_runtime_file_has_its_pinned_hash():
    lock = runtime.lock_file()
    described = runtime.runtime_description("jsdelivr", lock, "backprop_derived-0.1.0-py3-none-any.whl")
    cdn = runtime.ORIGINS["jsdelivr"]
    assert described["index"] == cdn and described["script"] == cdn + "pyodide.js"
    remote = [u for u in [described["script"], *described["prefetch"]] if "://" in u]
    assert {u[len(cdn):] for u in remote} == {"pyodide.js", "pyodide.asm.wasm",
                                              lock["packages"]["numpy"]["file_name"]}
    pinned = runtime.CORE | {lock["packages"]["numpy"]["file_name"]: lock["packages"]["numpy"]["sha256"]}
    for url in [*remote, cdn + "pyodide.asm.js"]:
        assert described["integrity"][url] == runtime._sri(pinned[url[len(cdn):]]), url
    # the site's own files stay on the site, among them the standard library with the build's bytecode
    assert {u for u in described["prefetch"] if "://" not in u} == {
        runtime.RUNTIME_LOCK, "backprop_derived-0.1.0-py3-none-any.whl", "files.zip",
        runtime.STDLIB_COMPILED, runtime.BYTECODE}


def test_the_bytes_of_a_first_run_are_counted_from_the_files(served):
    config = json.loads((served / "runner.json").read_text())
    described, counted = config["runtime"], config["first_run"]
    files = [runtime.WORKER, described["script"], "pyodide.asm.js", *described["prefetch"]]
    site = served.parents[1]
    sizes = [(site / f).stat().st_size if f == runtime.WORKER else (served / f).stat().st_size for f in files]
    assert counted["files"] == len(files) and counted["bytes"] == sum(sizes) == counted["site_bytes"]
    assert counted["cdn_bytes"] == 0 and 0 < counted["gzip_bytes"] < counted["bytes"]
    sentence = runtime.first_run_sentence(counted)
    assert f"{counted['bytes'] / 1e6:.1f} MB in {len(files)} files" in sentence, sentence


def test_the_served_lock_file_holds_the_pinned_entries_of_what_is_loaded(served):
    full = json.loads((served / "pyodide-lock.json").read_text())
    small = json.loads((served / runtime.RUNTIME_LOCK).read_text())
    assert small["info"] == full["info"]
    assert small["packages"] == {name: full["packages"][name] for name in runtime.PACKAGES}
