"""Lesson 11 in real JupyterLab: lengthen the short code; the collision figures and the chart follow."""

from __future__ import annotations

import pytest
from chartprobe import every_chart_draws
from jlab import open_notebook, set_slider, wait_text
from sysdesign import shortener
from sysdesign.units import format_count

pytestmark = pytest.mark.browser


def test_key_length_changes_the_collision_probability(page, lab):
    open_notebook(page, lab, "notebooks/11_url_shortener.ipynb")

    # The explorer starts at 10 billion base62 links with 7 characters: a collision is certain.
    n = 1e10
    start = shortener.format_probability(shortener.collision_probability(n, 7, "base62"))
    assert start == "100%"
    wait_text(page, ".sd-shortener-collision", f"chance of at least one collision {start}")
    wait_text(page, ".sd-shortener-capacity", "= 3.52 trillion codes")  # 62**7

    # 12 characters: 62**12 = 3.23e21 codes, so n(n-1)/2N = 1e20 / 6.45e21 gives 1.54 %.
    set_slider(page, "Key length (characters)", 12)
    after = shortener.format_probability(shortener.collision_probability(n, 12, "base62"))
    assert after == "1.54%"
    wait_text(page, ".sd-shortener-collision", f"chance of at least one collision {after}")
    wait_text(page, ".sd-shortener-capacity", "= 3.23 × 1021 codes")  # the exponent is a <sup>
    # scroll to the chart, as a reader would
    page.locator(".sd-shortener .sd-chart").first.scroll_into_view_if_needed()
    title = f"base62, {format_count(n)} links: collision chance {after} at 12 characters"
    wait_text(page, ".sd-shortener-chart .gtitle", title)

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, "notebooks/11_url_shortener.ipynb", explorers=2)
