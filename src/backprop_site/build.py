"""The site's build command in one place: ``mkdocs build --strict`` in the environment every build
gets. `make site`, `make test` and the tests build through it.

    python -m backprop_site.build [mkdocs build options]      the site, always with --strict
    python -m backprop_site.build serve [mkdocs serve options]
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Material and MkDocs print a banner about MkDocs 2 on every run unless these are set.
ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def command(*options: str) -> list[str]:
    """The build's command line, with extra mkdocs build options (say "--quiet")."""
    return [sys.executable, "-m", "mkdocs", "build", "--strict", *options]


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment for a build: with ENV and ``extra``, and without pytest's
    PYTEST_CURRENT_TEST (page blocks read it to tell the tests from the build)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    return {**env, **ENV, **(extra or {})}


def build(config: Path, site_dir: Path, env: dict[str, str] | None = None,
          timeout: float = 900) -> subprocess.CompletedProcess:
    """Build ``config`` into ``site_dir``; the result keeps mkdocs' stdout and stderr.

    env: variables added to the build's environment."""
    return subprocess.run(
        command("--config-file", str(config), "--site-dir", str(site_dir)),
        cwd=config.parent, env=environment(env), capture_output=True, text=True, timeout=timeout,
    )


def main(argv: list[str]) -> None:
    if argv[:1] == ["serve"]:
        args = [sys.executable, "-m", "mkdocs", *argv]
    else:
        args = command(*argv)
    os.execve(sys.executable, args, environment())


if __name__ == "__main__":
    main(sys.argv[1:])
