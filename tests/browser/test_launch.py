"""The Chromium the browser tests launch (backprop_site/browser.py): what its flags must keep."""

import re
from pathlib import Path

import pytest

from backprop_site.browser import DISABLED_FEATURES, LAUNCH_ARGS


@pytest.mark.browser
def test_a_new_window_opens_no_page_of_the_browsers_own(browser):
    """The address bar's drop-down, loaded as two web pages in every window, is switched off:
    it was nearly half the processor time of the browser tests' page loads."""
    context = browser.new_context()
    try:
        context.new_page()
        targets = browser.new_browser_cdp_session().send("Target.getTargets")["targetInfos"]
    finally:
        context.close()
    own = [t["url"] for t in targets if t["type"] == "browser_ui"]
    assert not own, f"each window loads the browser's own pages: {own}"


def test_the_flags_keep_playwrights_disabled_features():
    """Chromium keeps only the last --disable-features: ours must repeat Playwright's own."""
    from playwright._impl._driver import compute_driver_executable

    bundle = Path(compute_driver_executable()[1]).parent / "lib" / "coreBundle.js"
    listed = re.search(r"disabledFeatures = \[(.*?)\]", bundle.read_text(encoding="utf-8"), re.S)
    assert listed, f"Playwright's list of disabled features is not in {bundle}"
    theirs = re.findall(r'^\s*"(\w+)"', listed[1], re.M)
    missing = sorted(set(theirs) - set(DISABLED_FEATURES))
    assert theirs and not missing, f"Playwright disables {missing} too: add them to PLAYWRIGHT_DISABLED_FEATURES"
    assert sum(arg.startswith("--disable-features=") for arg in LAUNCH_ARGS) == 1, LAUNCH_ARGS
