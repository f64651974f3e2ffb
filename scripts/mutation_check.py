"""Prove that a wrong equation or a wrong src/ change fails the tests.

Each mutation below is made alone to a fresh copy of the project (the working tree,
without .venv, site/ and caches) in a temporary directory; pytest then runs inside the
copy with this project's interpreter, ``PYTHONPATH=<copy>/src`` (checked: the copy's
``backprop`` is the one imported) and ``-p no:cacheprovider``. A mutation is *caught*
when at least one test that passes on the unmutated copy fails on the mutated one.

Five mutations go into src/, the same five into the numbered equations of the pages.
An equation mutation edits the first tagged equation under docs/ that has the pattern;
if no page has one yet, the mutated equation goes on a temporary page in the copy.

Not collected by pytest and not part of ``make test`` (it runs the suite 11 times).

Usage::

    .venv/bin/python scripts/mutation_check.py            # tests/, docs/, src/ without browser/notebooks
    .venv/bin/python scripts/mutation_check.py --only equations -- tests/pages/test_equations.py
    .venv/bin/python scripts/mutation_check.py --every-equation   # in memory, every equation
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from backprop_site.equation_check import check, collect
from backprop_site.mutations import EQUATION_MUTATIONS, SRC_MUTATIONS

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
SKIP = shutil.ignore_patterns(".venv*", "site", ".git", ".pytest_cache", "__pycache__",
                              ".hypothesis", "*.egg-info", ".ipynb_checkpoints")
DEFAULT_ARGS = ["tests", "docs", "src", "--ignore=tests/browser",
                "--ignore=tests/pages/test_notebooks.py", "--ignore=tests/build/test_notebook_build.py"]


def copy_project(dest):
    shutil.copytree(ROOT, dest, ignore=SKIP)


def mutate_src(copy, file, anchor, pairs):
    """Replace each old text in the first line after ``anchor`` that starts with it (code, not a docstring)."""
    path = copy / file
    lines = path.read_text().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if anchor in line)
    for old, new in pairs:
        # StopIteration here means the code changed: update the mutation
        at = next(i for i in range(start, len(lines)) if lines[i].lstrip().startswith(old))
        lines[at] = lines[at].replace(old, new, 1)
    path.write_text("".join(lines))
    return f"{file}: " + "; ".join(f"`{old}` → `{new}`" for old, new in pairs)


def mutate_equation(copy, select, find, replace, fallback):
    """Edit the first tagged equation under docs/ matching ``select``; return where."""
    for path in sorted((copy / "docs").rglob("*.md")):
        text = path.read_text()
        for block in re.finditer(r"\$\$(.*?)\$\$", text, flags=re.S):
            body = block.group(1)
            if "\\tag{" not in body or not re.search(select, body) or not re.search(find, body):
                continue
            new_body = re.sub(find, replace, body, count=1)
            path.write_text(text[:block.start(1)] + new_body + text[block.end(1):])
            tag = re.search(r"\\tag\{([^}]*)\}", body).group(1)
            return f"{path.relative_to(copy)} ({tag})"
    page = copy / "docs" / "mutation-probe.md"
    page.write_text(f"# Mutation probe\n\n$$\n{fallback} \\tag{{99.1}}\n$$\n")
    return f"temporary page {page.relative_to(copy)}"


def run_pytest(copy, args):
    """Run pytest in ``copy``; return (set of failing test ids, seconds)."""
    env = {**os.environ, "PYTHONPATH": str(copy / "src"), "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    where = subprocess.run([str(PYTHON), "-c", "import backprop; print(backprop.__file__)"],
                           cwd=copy, env=env, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(copy)), f"backprop imported from {where}, not from the copy"
    start = time.time()
    result = subprocess.run(
        [str(PYTHON), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=no", "-rfE", *args],
        cwd=copy, env=env, capture_output=True, text=True)
    failed = set(re.findall(r"^(?:FAILED|ERROR) (.+?)(?: - .*)?$", result.stdout, flags=re.M))
    if result.returncode not in (0, 1):
        failed.add(f"<pytest exit code {result.returncode}>")
    return failed, time.time() - start


def every_equation():
    """Apply each equation mutation to every tagged equation it fits, in memory, and check it.

    Fast (no copies, no pytest run): uses the equation checker (backprop_site.equation_check)
    directly. A survivor is not always a hole: y - a^L inside a squared norm is still right.
    """
    print("| equation | mutation | mutated equation | result |")
    print("|---|---|---|---|")
    for _, eq in collect(ROOT):
        if isinstance(eq, str):
            continue
        text = f"{eq.lhs} = {eq.rhs}"
        for name, select, find, replace, _ in EQUATION_MUTATIONS:
            if not (re.search(select, text) and re.search(find, text)):
                continue
            lhs, rhs = re.sub(find, replace, text, count=1).split(" = ")
            try:
                check(lhs, rhs, eq.where)
                result = "SURVIVED"
            except AssertionError:
                result = "caught"
            print(f"| {eq.path} ({eq.tag}) | {name} | `{lhs} = {rhs}` | {result} |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["src", "equations"], help="run one group of mutations")
    parser.add_argument("--every-equation", action="store_true",
                        help="apply the equation mutations to every equation they fit, in memory")
    parser.add_argument("pytest_args", nargs="*", help="pytest arguments (after --)")
    options = parser.parse_args()
    if options.every_equation:
        return every_equation()
    args = options.pytest_args or DEFAULT_ARGS
    jobs = []
    if options.only != "equations":
        jobs += [("src", m[0], lambda c, m=m: mutate_src(c, *m[1:])) for m in SRC_MUTATIONS]
    if options.only != "src":
        jobs += [("equation", m[0], lambda c, m=m: mutate_equation(c, *m[1:])) for m in EQUATION_MUTATIONS]

    with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
        base = Path(tmp) / "baseline"
        copy_project(base)
        baseline, seconds = run_pytest(base, args)
        print(f"pytest {' '.join(args)}")
        print(f"baseline (unmutated copy): {len(baseline)} failing, {seconds:.0f} s"
              + (f": {sorted(baseline)}" if baseline else ""))
        print()
        print("| where | mutation | edited | result | newly failing tests (first 3, checker first) |")
        print("|---|---|---|---|---|")
        survived = 0
        for i, (group, name, apply) in enumerate(jobs):
            copy = Path(tmp) / f"m{i}"
            copy_project(copy)
            edited = apply(copy)
            failed, seconds = run_pytest(copy, args)
            new = sorted(failed - baseline)
            survived += not new
            checker = [t for t in new if t.startswith("tests/pages/test_equations.py")]
            result = (f"caught: {len(new)} fail, {len(checker)} of them in the equations checker"
                      if new else "SURVIVED")
            shown = "<br>".join(f"`{t}`" for t in (checker + [t for t in new if t not in checker])[:3])
            print(f"| {group} | {name} | {edited} | {result} | {shown} |", flush=True)
            shutil.rmtree(copy)
    print()
    print(f"{len(jobs) - survived} of {len(jobs)} mutations caught")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
