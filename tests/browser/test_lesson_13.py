"""Lesson 13 in real JupyterLab: run it, move the limit slider, see the fixed window's count follow.

The expected count is worked out here without the library's limiter code: a fixed window of
``limit`` per 1 s window lets through min(arrivals in the window, limit) in each window.
"""

from __future__ import annotations

import numpy as np
import pytest
from chartprobe import every_chart_draws
from jlab import open_notebook, set_slider
from playwright.sync_api import expect
from sysdesign.sim.ratelimit import bursty_arrivals

pytestmark = pytest.mark.browser


def fixed_window_allowed(limit: int, window_s: float = 1.0) -> int:
    """The explorer's traffic (30 s, 4 req/s background, bursts of 40, seed 0) through a fixed window."""
    times = bursty_arrivals(duration_s=30, base_rate=4, burst_size=40, seed=0)
    per_window = np.bincount(np.floor(times / window_s).astype(int))
    return int(np.minimum(per_window, limit).sum())


def test_limit_slider_changes_the_fixed_window_count(page, lab):
    open_notebook(page, lab, "notebooks/13_rate_limiter.ipynb")
    cell = (
        page.locator(".sd-ratelimit-table tr", has=page.locator("td", has_text="fixed window"))
        .locator("td")
        .nth(1)
    )
    cell.scroll_into_view_if_needed()
    expect(cell).to_have_text(str(fixed_window_allowed(10)), timeout=60_000)

    set_slider(page, "Limit / capacity", 25)

    expect(cell).to_have_text(str(fixed_window_allowed(25)), timeout=30_000)
    expect(page.locator(".sd-ratelimit-chart .js-plotly-plot")).to_have_count(1, timeout=120_000)

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, "notebooks/13_rate_limiter.ipynb", explorers=1)
