"""The GitHub workflow files, checked offline: GitHub's workflow schema (as vendored by
check-jsonschema), every action pinned by full commit SHA with its version beside it, the
permissions each job gets, what triggers a release and a deployment, and what must pass first.

The checks of release.yml and pages.yml are functions that list what is wrong with a workflow;
each is also run on copies broken on purpose, and must find the break."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from backprop_site import build
from backprop_site.repo import ROOT
WORKFLOWS = ROOT / ".github" / "workflows"
FILES = ["ci.yml", "pages.yml", "release.yml"]
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


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True


def unpinned(text: str) -> list[str]:
    """The `uses:` lines of a workflow that are not `owner/repo@<40-hex sha> # vX.Y.Z`."""
    uses = [line for line in text.splitlines() if re.match(r"^\s*(?:-\s+)?uses:", line)]
    return [line.strip() for line in uses if not PINNED.match(line)]


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
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    assert "uses:" in text, f"{name} uses no action"
    assert not unpinned(text), f"{name}: not pinned as `owner/repo@<40-hex sha> # vX.Y.Z`: {unpinned(text)}"


def test_ci_runs_the_suite_on_push_and_pull_request_for_each_python():
    workflow = load("ci.yml")
    assert {"push", "pull_request"} <= set(triggers(workflow)), f"ci.yml triggers: {triggers(workflow)}"
    assert workflow["permissions"] == {"contents": "read"}, workflow["permissions"]
    job, floor = workflow["jobs"]["test"], workflow["jobs"]["numpy-floor"]
    assert job["strategy"]["matrix"]["python-version"] == ["3.11", "3.12", "3.13"]
    runs = [step.get("run", "") for step in job["steps"]]
    assert any(".ci/run" in run or "make test" in run for run in runs), f"ci.yml does not run the suite: {runs}"
    floor_runs = [step.get("run", "") for step in floor["steps"]]
    assert any("numpy_floor.py --numpy 2.0.2" in run for run in floor_runs), floor_runs
    wheel_runs = [step.get("run", "") for step in workflow["jobs"]["wheel"]["steps"]]
    assert "python scripts/wheel_check.py" in wheel_runs, f"ci.yml does not test the installed wheel: {wheel_runs}"


def pages_problems(workflow: dict, ci: dict) -> list[str]:
    """What would let pages.yml deploy a commit whose tests did not pass."""
    problems = []
    expected = {"workflow_run": {"workflows": [ci["name"]], "types": ["completed"], "branches": ["main"]}}
    if triggers(workflow) != expected:
        problems.append(f"pages.yml should run only when {ci['name']} has completed on main "
                        f"({expected}), runs on {triggers(workflow)}")
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    condition = build.get("if", "")
    terms = {term.strip() for term in condition.split("&&")}
    wanted = {"github.event.workflow_run.conclusion == 'success'", "github.event.workflow_run.event == 'push'"}
    if "||" in condition or not wanted <= terms:
        problems.append(f"the build job must run only for a successful CI run of a push: if: {condition!r}")
    checkout = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    if checkout.get("with", {}).get("ref") != "${{ github.event.workflow_run.head_sha }}":
        problems.append("the build job must check out the commit CI tested (workflow_run.head_sha)")
    if deploy.get("needs") != "build":
        problems.append("the deploy job must need the build job (and so be skipped with it)")
    if ci["concurrency"].get("cancel-in-progress") is not True:
        problems.append("ci.yml must cancel an older run of the same branch, or an older commit's "
                        "CI could finish last and be deployed over a newer one")
    return problems


def release_problems(workflow: dict) -> list[str]:
    """What would let release.yml publish something other than a tested tag of the package's
    version, or give the OIDC token to a job other than the publishing one."""
    problems = []
    if triggers(workflow) != {"push": {"tags": ["v*"]}}:
        problems.append(f"release.yml should run on pushed tags v* only, runs on {triggers(workflow)}")
    if workflow.get("permissions") != {"contents": "read"}:
        problems.append(f"top-level permissions must be contents: read, are {workflow.get('permissions')}")
    jobs = workflow["jobs"]
    holders = sorted(name for name, job in jobs.items() if "id-token" in (job.get("permissions") or {}))
    if holders != ["publish"]:
        problems.append(f"the publish job alone may have id-token; jobs with it: {holders}")

    build, publish = jobs.get("build", {}), jobs.get("publish", {})
    if "permissions" in build:
        problems.append("the build job needs no more than the top-level read")
    steps = build.get("steps", [])
    runs = [step.get("run", "") for step in steps]
    built = [i for i, run in enumerate(runs) if run.startswith("python -m build --outdir dist")]
    checked = [i for i, run in enumerate(runs)
               if run.startswith("python scripts/wheel_check.py --dist dist --tag \"$GITHUB_REF_NAME\"")]
    uploaded = [i for i, step in enumerate(steps) if step.get("uses", "").startswith("actions/upload-artifact@")]
    if not checked:
        problems.append('the build job must run scripts/wheel_check.py --dist dist --tag "$GITHUB_REF_NAME" '
                        "(the tag is v<the package's version>, the wheel's tests pass)")
    elif not (built and uploaded and built[0] < checked[0] < uploaded[-1]):
        problems.append("the build job must build, then check and test, then upload the files")

    if publish.get("permissions") != {"id-token": "write"}:
        problems.append(f"the publish job needs id-token: write and nothing more: {publish.get('permissions')}")
    if publish.get("needs") != "build":
        problems.append("the publish job must need the build job, whose checks and tests must pass first")
    if (publish.get("environment") or {}).get("name") != "pypi":
        problems.append("the publish job must run in the environment `pypi`, the one PyPI trusts")
    uses = [step.get("uses", "") for step in publish.get("steps", [])]
    publishers = [step for step in publish.get("steps", [])
                  if step.get("uses", "").startswith("pypa/gh-action-pypi-publish@")]
    if len(publishers) != 1 or {"password", "user"} & set(publishers[0].get("with") or {}):
        problems.append(f"the publish job must publish with pypa/gh-action-pypi-publish and no password: {uses}")
    uploads = [step.get("with", {}) for step in steps if step.get("uses", "").startswith("actions/upload-artifact@")]
    downloads = [step.get("with", {}) for step in publish.get("steps", [])
                 if step.get("uses", "").startswith("actions/download-artifact@")]
    if not uploads or not downloads or uploads[0].get("name") != downloads[0].get("name") \
            or uploads[0].get("path") != "dist/" or downloads[0].get("path") != "dist/":
        problems.append("the publish job must download the build job's dist/ artifact, the files it tested")
    return problems


def test_pages_deploys_only_a_commit_whose_tests_passed():
    assert pages_problems(load("pages.yml"), load("ci.yml")) == []


def test_release_publishes_only_a_tested_tag_of_the_package_version():
    assert release_problems(load("release.yml")) == []


def test_release_version_check_refuses_a_tag_of_another_version():
    from backprop_site.repo import load_file

    wheel_check = load_file(ROOT / "scripts" / "wheel_check.py", "wheel_check")
    changelog = "# Changelog\n\n## [Unreleased]\n\n## [0.2.0] - 2026-12-01\n\n### Added\n"
    wheel_check.check_tag("v0.2.0", "0.2.0", changelog)
    for tag in ["v0.2.1", "0.2.0", "v0.2.0rc1", "v0.2"]:
        with pytest.raises(wheel_check.CheckFailed, match="does not name the package's version"):
            wheel_check.check_tag(tag, "0.2.0", changelog)
    with pytest.raises(wheel_check.CheckFailed, match="CHANGELOG.md has no section"):
        wheel_check.check_tag("v0.3.0", "0.3.0", changelog)


# Each break: (file, what it breaks, regular expression, replacement); the replacement must apply
# exactly once, and the checks must then report a problem.
BREAKS = [
    ("release.yml", "id-token for every job", r"\npermissions:\n  contents: read\n",
     "\npermissions:\n  contents: read\n  id-token: write\n"),
    ("release.yml", "id-token in the build job", r"\n  build:\n", "\n  build:\n    permissions:\n      id-token: write\n"),
    ("release.yml", "publishes on a push to main", r'    tags: \["v\*"\]\n', "    branches: [main]\n"),
    ("release.yml", "publishes on any push", r'  push:\n    tags: \["v\*"\]\n', "  push:\n"),
    ("release.yml", "no version check", r' --tag "\$GITHUB_REF_NAME"', ""),
    ("release.yml", "no tests before publishing", r"\n    needs: build\n", "\n"),
    ("release.yml", "another environment", r"\n      name: pypi\n", "\n      name: release\n"),
    ("release.yml", "publisher pinned by branch", r"(pypa/gh-action-pypi-publish)@[0-9a-f]{40} # v[\d.]+", r"\1@release/v1"),
    ("release.yml", "checkout pinned by tag", r"(actions/checkout)@[0-9a-f]{40} # (v[\d.]+)", r"\1@\2"),
    ("release.yml", "publishes with a password", r"(pypa/gh-action-pypi-publish@.*)\n",
     "\\1\n        with:\n          password: ${{ secrets.PYPI_TOKEN }}\n"),
    ("pages.yml", "deploys on a push to main", r"  workflow_run:\n    workflows: \[CI\]\n    types: \[completed\]\n",
     "  push:\n"),
    ("pages.yml", "deploys after failed tests", r"github.event.workflow_run.conclusion == 'success' && ", ""),
    ("pages.yml", "deploys a pull request's run", r" && github.event.workflow_run.event == 'push'", ""),
    ("pages.yml", "either condition will do", r"'success' &&", "'success' ||"),
    ("pages.yml", "builds main, not the tested commit", r"\n          ref: \$\{\{ github.event.workflow_run.head_sha \}\}", ""),
    ("pages.yml", "waits for another workflow", r"workflows: \[CI\]", "workflows: [Tests]"),
    ("ci.yml", "an older commit's run can finish last", r"cancel-in-progress: true", "cancel-in-progress: false"),
]


def problems_in(folder: Path) -> list[str]:
    """Every problem the checks above find in the workflows of ``folder``."""
    read = lambda name: yaml.safe_load((folder / name).read_text(encoding="utf-8"))
    found = pages_problems(read("pages.yml"), read("ci.yml")) + release_problems(read("release.yml"))
    for name in FILES:
        found += unpinned((folder / name).read_text(encoding="utf-8"))
    return found


@pytest.mark.parametrize("name, broken, pattern, replacement", BREAKS, ids=[b[1] for b in BREAKS])
def test_checks_find_a_workflow_broken_on_purpose(tmp_path, name, broken, pattern, replacement):
    for file in FILES:
        shutil.copy(WORKFLOWS / file, tmp_path / file)
    assert problems_in(tmp_path) == [], "the unbroken copies must pass"
    text, count = re.subn(pattern, replacement, (WORKFLOWS / name).read_text(encoding="utf-8"))
    assert count == 1, f"the break {broken!r} applies {count} times to {name}, not once"
    (tmp_path / name).write_text(text, encoding="utf-8")
    assert problems_in(tmp_path), f"{name} with {broken!r} passed every check"


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
