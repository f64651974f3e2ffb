"""How long a writer waits under `mkdocs serve`: from saving a page to the served page changing.

Starts `mkdocs serve` on a free port for the repository given (default: this one), waits for
the first build, then REPEATS times appends a unique word to one Markdown page and polls the
served page until the word is there. The page is restored afterwards. Prints each wait and
the median, in seconds. Not a test: timings depend on the machine and its load.

    .venv/bin/python benchmarks/serve_rebuild.py [--root PATH] [--page docs/answer/one-weight.md]
        [--no-dirty] [--json docs/assets/performance/serve.json]

With --json it also writes the waits, the commit served and the load average (1, 5, 15 min)
before and after, to a file.
"""

import argparse
import datetime
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def wait_for(url: str, word: str, timeout: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if word in fetch(url):
            return time.perf_counter()
        time.sleep(0.05)
    raise TimeoutError(f"{word!r} did not appear at {url} within {timeout} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--page", default="docs/answer/one-weight.md")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--dirty", action=argparse.BooleanOptionalAction, default=True,
                        help="serve with --dirty, as `make serve` does (default); --no-dirty rebuilds every page")
    parser.add_argument("--json", type=Path, help="also write the waits and the load average to this file")
    args = parser.parse_args()
    root = args.root.resolve()
    page = root / args.page
    rel = Path(args.page).relative_to("docs").with_suffix("")
    port = free_port()
    site_url = re.search(r"^site_url:\s*(\S+)", (root / "mkdocs.yml").read_text(), re.M)[1]
    base = "/" + site_url.split("://", 1)[1].split("/", 1)[1] if site_url.count("/") > 3 else "/"
    url = f"http://127.0.0.1:{port}{base}{rel.as_posix()}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}",
         "--config-file", str(root / "mkdocs.yml"), *(["--dirty"] if args.dirty else [])],
        cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    original = page.read_bytes()
    waits = []
    load_before = os.getloadavg()
    try:
        first = time.perf_counter()
        wait_for(url, "</html>", timeout=300)
        first_build = time.perf_counter() - first
        print(f"first build served after {first_build:.1f} s")
        for _ in range(args.repeats):
            word = f"edit{uuid.uuid4().hex[:12]}"
            time.sleep(1.0)  # let the watcher settle after the previous rebuild
            page.write_bytes(original + f"\n\n{word}\n".encode())
            saved = time.perf_counter()
            waits.append(wait_for(url, word, timeout=120) - saved)
            print(f"save to served page: {waits[-1]:.2f} s")
    finally:
        page.write_bytes(original)
        server.terminate()
        server.wait(timeout=30)
    print(f"median of {len(waits)}: {statistics.median(waits):.2f} s")
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                                capture_output=True, text=True).stdout.strip()
        args.json.write_text(json.dumps({
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "commit": commit, "page": args.page, "dirty": args.dirty,
            "first_build_s": round(first_build, 2), "waits_s": [round(w, 2) for w in waits],
            "median_s": round(statistics.median(waits), 2),
            "load_average_before": [round(v, 2) for v in load_before],
            "load_average_after": [round(v, 2) for v in os.getloadavg()],
            "cores": os.cpu_count(),
        }, indent=1) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
