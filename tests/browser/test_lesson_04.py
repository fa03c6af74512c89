"""Lesson 04 in real JupyterLab: edit the API reviewer's text box, move a pagination slider."""

from __future__ import annotations

import pytest
from chartprobe import every_chart_draws
from jlab import open_notebook, set_slider, set_text, wait_text

pytestmark = pytest.mark.browser


def test_lesson_04_reviewer_and_pagination_respond(page, lab):
    open_notebook(page, lab, "notebooks/04_api_design.ipynb", timeout_ms=180_000)

    # The reviewer starts from the eight-line example sketch.
    wait_text(page, ".sd-api-count", "8 endpoints")
    set_text(page, "Endpoints", "GET /api/v1/chats?offset=0&limit=20")
    # One list endpoint paged by offset: exactly one finding, the offset rule.
    wait_text(page, ".sd-api-count", "1 endpoint: 1 finding")
    wait_text(page, ".sd-api-findings", "offset-pagination")

    # Pages of 20, 5 pages: offset repeats arrivals x (pages - 1) rows; 5 x 4 = 20 at first, 2 x 4 = 8 after.
    wait_text(page, ".sd-pagination-result", "offset read 5 pages of 20: 20 rows repeated")
    set_slider(page, "New messages per page read", 2)
    wait_text(page, ".sd-pagination-result", "offset read 5 pages of 20: 8 rows repeated")

    # The chart's title states the same counts.
    page.locator(".sd-pagination .sd-chart").first.scroll_into_view_if_needed()
    wait_text(page, ".sd-pagination-chart .gtitle", "offset: 8 repeated, 0 skipped", timeout_ms=60_000)

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, "notebooks/04_api_design.ipynb", explorers=1)
