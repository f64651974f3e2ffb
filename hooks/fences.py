"""How the site reads a code fence's info string: one reading for the build's hooks, the tests
and scripts/page_stats.py. Not a hook itself (mkdocs.yml does not list it): the others import it.
"""

import re
import shlex

PYTHON = {"python", "py", "python3"}
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")


def parse_info(info: str) -> tuple[str, dict[str, str], frozenset[str]]:
    """(language, key=value options, bare words) of a fence's info string."""
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        words = shlex.split(info[1:-1])
        classes = [w[1:] for w in words if w.startswith(".")]
        lang = classes[0] if classes else ""
        words = [w for w in words if not w.startswith((".", "#"))]
    else:
        words = info.split()
        lang, words = (words[0], words[1:]) if words else ("", [])
    options = dict(w.split("=", 1) for w in words if "=" in w)
    return lang.lower(), options, frozenset(w for w in words if "=" not in w)
