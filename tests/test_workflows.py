"""The GitHub workflow files, checked offline: GitHub's workflow schema (as vendored by
check-jsonschema), every action pinned by full commit SHA with its version beside it, and the
permissions each job gets."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from backprop_site import build

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
FILES = ["ci.yml", "pages.yml"]
# `uses: owner/repo@<40 hex> # vX.Y.Z`
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d+(?:\.\d+)*\s*$")


def check_jsonschema(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", FILES)
def test_workflow_matches_github_schema(name):
    result = check_jsonschema(WORKFLOWS / name)
    assert result.returncode == 0, f"{name} is not a valid workflow:\n{result.stdout}\n{result.stderr}"


def test_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    steps:\n      - run: make test\n")  # no runs-on
    result = check_jsonschema(broken)
    assert result.returncode != 0, f"a job without runs-on passed the schema check:\n{result.stdout}"


@pytest.mark.parametrize("name", FILES)
def test_every_action_is_pinned_by_commit_sha_with_version_comment(name):
    lines = (WORKFLOWS / name).read_text(encoding="utf-8").splitlines()
    uses = [line for line in lines if re.match(r"^\s*(?:-\s+)?uses:", line)]
    assert uses, f"{name} uses no action"
    unpinned = [line.strip() for line in uses if not PINNED.match(line)]
    assert not unpinned, f"{name}: not pinned as `owner/repo@<40-hex sha> # vX.Y.Z`: {unpinned}"


def test_ci_runs_the_suite_on_push_and_pull_request_for_each_python():
    workflow = load("ci.yml")
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert {"push", "pull_request"} <= set(triggers), f"ci.yml triggers: {triggers}"
    assert workflow["permissions"] == {"contents": "read"}, workflow["permissions"]
    job, floor = workflow["jobs"]["test"], workflow["jobs"]["numpy-floor"]
    assert job["strategy"]["matrix"]["python-version"] == ["3.11", "3.12", "3.13"]
    runs = [step.get("run", "") for step in job["steps"]]
    assert any(".ci/run" in run or "make test" in run for run in runs), f"ci.yml does not run the suite: {runs}"
    floor_runs = [step.get("run", "") for step in floor["steps"]]
    assert any("numpy_floor.py --numpy 2.0.2" in run for run in floor_runs), floor_runs


def test_pages_builds_strict_and_deploys_with_least_privilege():
    workflow = load("pages.yml")
    assert workflow["permissions"] == {"contents": "read"}, "top-level permissions must be read-only"
    assert workflow["concurrency"]["group"], "pages.yml needs a concurrency group"
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert "permissions" not in build, "the build job needs no more than the top-level read"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}, deploy["permissions"]
    assert deploy["needs"] == "build"
    assert deploy["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}

    build_runs = " ".join(step.get("run", "") for step in build["steps"])
    assert "make site" in build_runs, f"the build job should run `make site` (mkdocs build --strict): {build_runs}"
    assert "$(BUILD)" in recipe("site"), "`make site` must build with the site's build command"

    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site"
    (step,) = [s for s in deploy["steps"] if "deploy-pages" in s.get("uses", "")]
    assert step["id"] == "deployment"


def recipe(target: str) -> str:
    """The commands of a Makefile target."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert found, f"the Makefile has no recipe for {target}"
    return found[1]


def test_the_makefile_builds_with_the_one_strict_build_command():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^BUILD := \$\(BIN\)/python -m backprop_site\.build$", makefile, re.MULTILINE), (
        "the Makefile's BUILD should be backprop_site.build, the site's one build command")
    assert build.command()[1:] == ["-m", "mkdocs", "build", "--strict"], build.command()
    for target in ("site", "test", "test-page"):
        assert "$(BUILD)" in recipe(target), f"`make {target}` does not build with $(BUILD)"
    assert "mkdocs build" not in re.sub(r"^#.*\n", "", makefile, flags=re.MULTILINE), (
        "a second `mkdocs build` command line in the Makefile")
