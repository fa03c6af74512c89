"""Lesson 14 in real JupyterLab: move the celebrity threshold and check the fan-out table follows."""

from __future__ import annotations

import pytest
from chartprobe import every_chart_draws
from jlab import open_notebook, set_slider, wait_text
from sysdesign.sim import fanout
from sysdesign.units import format_count

pytestmark = pytest.mark.browser


def test_threshold_slider_updates_the_fanout_table(page, lab):
    open_notebook(page, lab, "notebooks/14_news_feed.ipynb")
    wait_text(page, ".sd-feed-table", "Threshold: 10,000 followers")

    # The explorer's graph: 100,000 authors, 1,000 sampled readers, Pareto alpha 1.1, seed 0.
    # At 10^3 = 1,000 followers the hybrid's numbers come straight from sim/fanout, computed here
    # independently of the widget.
    hybrid = fanout.fanout(fanout.audience(100_000, alpha=1.1, n_readers=1_000, seed=0), 1_000)
    set_slider(page, "Celebrity threshold (10^x followers)", 3)
    wait_text(page, ".sd-feed-table", "Threshold: 1,000 followers")
    wait_text(page, ".sd-feed-table", f"{hybrid.writes_per_post_mean:.1f}")
    wait_text(page, ".sd-feed-table", format_count(hybrid.writes_per_post_max))

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, "notebooks/14_news_feed.ipynb", explorers=1)
