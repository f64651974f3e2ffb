"""The home page is the answer: its first screen shows the equation and the learner's numbers.

At 1280x800 the first screen holds the typeset weight-gradient equation and the four outputs
of the learner's network; on a 390 px wide phone they are within two screen heights. The check
itself fails on a page whose answer comes too late (test_fixture_page.py).
"""

import pytest

import browser_checks as bc
from backprop import learner_data, learner_network

pytestmark = pytest.mark.browser

# The answer's equation as docs/index.md writes it (white space does not matter).
ANSWER_TEX = r"\frac{\partial C}{\partial W^{[l]}} = (a^{[l-1]})^\top \delta^{[l]}"


def learner_outputs() -> str:
    """The four outputs the learner's script prints, computed by the package: the forward pass
    of its 1000th iteration (after 999 updates), three decimals, as docs/index.md shows them."""
    x, y = learner_data()
    net = learner_network()
    net.train(x, y, 1, 999)
    return " ".join(f"{v:.3f}" for v in net.predict(x).ravel())


@pytest.fixture(scope="module")
def home(browser, site_dir, site_url):
    """The home page, loaded and typeset at 1280x800."""
    with bc.settled_page(browser, bc.SiteServer(site_dir, site_url), "") as page:
        yield page


def test_first_screen_holds_the_answer_at_1280x800(home):
    home.set_viewport_size(bc.DESKTOP)
    problems = bc.first_screen_problems(home, ANSWER_TEX, [learner_outputs()], screens=1)
    assert not problems, "\n".join(problems)


def test_first_screen_answer_within_two_phone_screens(home):
    home.set_viewport_size(bc.PHONE)
    problems = bc.first_screen_problems(home, ANSWER_TEX, [learner_outputs()], screens=2)
    assert not problems, "\n".join(problems)
