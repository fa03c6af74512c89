"""Every chart of every lesson draws: move each explorer's first two controls and, after every move,
check that each of its charts shows its traces (the SVG holds trace marks, not only axes).

After each move the test waits for states (the kernel busy then idle, the charts drawn), never
for a fixed time; see ``chartprobe``.
"""

from __future__ import annotations

import pytest
from chartprobe import DRAWN_JS, arm, explorer, explorer_count, kernel_activity, wait_settled
from jlab import open_notebook
from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.browser

# Lessons whose explorers draw charts, with how many such explorers each shows.
LESSONS = {
    "00_welcome": 1,
    "01_framework": 1,
    "03_estimation": 1,
    "04_api_design": 1,
    "05_architecture": 2,
    "06_deep_dive": 3,
    "07_tradeoffs": 3,
    "09_cheat_sheet": 1,
    "10_mock_interview_chat": 1,
    "11_url_shortener": 2,
    "12_paste_bin": 3,
    "13_rate_limiter": 1,
    "14_news_feed": 1,
}
MOVES_PER_EXPLORER = 2


def _move(page: Page, control: Locator) -> str:
    """Change one control the way a reader would; returns what was done (for failure messages)."""
    control.scroll_into_view_if_needed()
    kind = control.get_attribute("class") or ""
    if "widget-slider" in kind:
        handle = control.locator(".noUi-handle").first
        at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        key = "ArrowLeft" if at_max else "ArrowRight"
        handle.focus()
        page.keyboard.press(key)
        return f"slider {key}"
    if "widget-dropdown" in kind:
        select = control.locator("select")
        count = select.locator("option").count()
        index = select.evaluate("s => s.selectedIndex")
        select.select_option(index=(index + 1) % count)
        return f"dropdown option {(index + 1) % count}"
    if "widget-checkbox" in kind:
        control.locator("input").click()
        return "checkbox click"
    box = control.locator("input, textarea").first
    if box.get_attribute("type") == "number":
        box.fill(str(float(box.input_value()) + 1))
        box.press("Enter")
        return "number +1"
    raise AssertionError(f"no way to move a control of class {kind!r}")


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_every_chart_draws_after_every_move(page, lab, lesson):
    path = f"notebooks/{lesson}.ipynb"
    open_notebook(page, lab, path)
    assert explorer_count(page) == LESSONS[lesson]
    for index in range(LESSONS[lesson]):
        box = explorer(page, index)
        box.scroll_into_view_if_needed()
        charts = box.locator(".sd-chart")
        for i in range(charts.count()):  # the first picture, before any move
            charts.nth(i).scroll_into_view_if_needed()
            page.wait_for_function(
                f"(c) => ({DRAWN_JS})(c)", arg=charts.nth(i).element_handle(), timeout=60_000
            )
        controls = box.locator(".widget-gridbox").first.locator(":scope > .jupyter-widgets")
        for c in range(min(MOVES_PER_EXPLORER, controls.count())):
            _, before = kernel_activity(lab, path)
            arm(page, index)
            done = _move(page, controls.nth(c))
            stamps = wait_settled(page, lab, path, before)
            assert stamps["last"] is not None, f"{lesson} explorer {index}: {done} changed nothing"
