"""Chromium for the browser tests and the benchmarks: how it is launched, and the built site
served to it offline.

The built site is served at its real ``site_url`` origin through Playwright's request routing
(Material's instant navigation only fires on the same origin), fulfilled from the files on disk.
Any request to another origin is recorded and aborted: the site must work offline and send
readers to no third party. tests/browser/browser_checks.py re-exports these names.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from backprop_site.build import build

from backprop_site.repo import ROOT
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Chromium keeps only the last --disable-features it is given, so this one repeats Playwright's
# own list (Playwright 1.65) and adds the two features that load the address bar's drop-down as
# web pages: two renderers for every window a browser context opens, about 45% of the processor
# time of loading a page here. A headless browser shows no address bar.
PLAYWRIGHT_DISABLED_FEATURES = [
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding",
    "ThirdPartyStoragePartitioning", "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin",
    "OptimizationHints", "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch",
    "msForceBrowserSignIn", "msEdgeUpdateLaunchServicesPreferredVersion",
]
DISABLED_FEATURES = [*PLAYWRIGHT_DISABLED_FEATURES, "WebUIOmniboxPopup", "WebUIOmniboxAimPopup"]
# Flags for a headless, offline, quiet Chromium (see toolchain-facts.md).
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-features=" + ",".join(DISABLED_FEATURES),
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
# How often a wait looks at the page. Playwright's default looks at every animation frame, which
# keeps the page drawing 60 frames a second while it waits (Python's start in a fresh tab: about
# 3.4 -> 3.0 core-seconds with this).
POLL_MS = 50
INSTALL_HINT = (
    "the browser tests need Chromium at {path}: install it with "
    "`apt-get install -y --no-install-recommends chromium` (or set CHROMIUM=/path/to/chromium)"
)


def in_ci() -> bool:
    """True under CI (CI=true), where a missing browser is a failure, not a skip."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1"}


def missing_browser_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (it is in requirements.in); " + INSTALL_HINT.format(
            path=CHROMIUM
        )
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return INSTALL_HINT.format(path=CHROMIUM)
    return None


def launch(playwright):
    """Launch the system Chromium headless (Playwright's own browser download does not work here)."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
    )


def wait_until(page, js: str, arg=None, timeout_ms: int = 20_000) -> None:
    """Wait until the JavaScript function js, given arg, returns something true in page."""
    page.wait_for_function(js, arg=arg, timeout=timeout_ms, polling=POLL_MS)


def read_site_url(config: Path = ROOT / "mkdocs.yml") -> str:
    """``site_url`` from mkdocs.yml (read as text: the file holds python tags yaml.safe_load refuses)."""
    match = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", config.read_text(), re.MULTILINE)
    if not match:
        raise ValueError(f"no site_url in {config}")
    url = match.group(1)
    return url if url.endswith("/") else url + "/"


def page_paths_from_site(site_dir: Path) -> list[str]:
    """URL paths of every built page: each index.html, except the search and asset folders and
    the redirects from old URLs (mkdocs-redirects' stubs; tests/pages/test_redirects.py checks them)."""
    paths = []
    for index in site_dir.rglob("index.html"):
        rel = index.parent.relative_to(site_dir)
        if rel.parts and rel.parts[0] in {"assets", "search"}:
            continue
        if 'http-equiv="refresh"' in index.read_text(encoding="utf-8", errors="replace")[:2000]:
            continue
        paths.append("".join(part + "/" for part in rel.parts))
    return sorted(paths, key=lambda p: (p != "", p))


def page_id(path: str) -> str:
    """Short test id for a page path: 'index' for the home page, else the path without slashes."""
    return path.strip("/") or "index"


def build_site(config: Path, site_dir: Path, env: dict[str, str] | None = None) -> Path:
    """``mkdocs build --strict`` of config into site_dir; raises with mkdocs' output on failure.

    env: variables to add to the build's environment."""
    result = build(config, site_dir, env)
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build of {config} failed:\n{result.stdout}\n{result.stderr}")
    return site_dir


class SiteServer:
    """Serve site_dir at site_url inside a browser context; record and abort every other request."""

    def __init__(self, site_dir: Path, site_url: str):
        self.site_dir = site_dir
        self.site_url = site_url
        self.external: list[str] = []
        self.missing: list[str] = []

    def attach(self, context) -> None:
        context.route("**/*", self._handle)

    def url(self, path: str) -> str:
        return self.site_url + path

    def file_for(self, url: str) -> Path | None:
        if not url.startswith(self.site_url):
            return None
        rel = unquote(urlsplit(url).path)[len(urlsplit(self.site_url).path) :]
        target = (self.site_dir / rel).resolve()
        if self.site_dir.resolve() not in (target, *target.parents):
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _handle(self, route) -> None:
        url = route.request.url
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.site_url))
        if not url.startswith(origin + "/"):
            self.external.append(url)
            route.abort("blockedbyclient")
            return
        target = self.file_for(url)
        if target is None:
            self.missing.append(url)
            route.fulfill(status=404, content_type="text/plain", body=f"not in the build: {url}")
            return
        route.fulfill(path=str(target))
