"""Lesson 12 in real JupyterLab: sweep less often; the expired bytes held and the chart follow."""

from __future__ import annotations

import pytest
from chartprobe import every_chart_draws
from jlab import open_notebook, set_slider, wait_text
from sysdesign.units import format_size
from sysdesign.widgets import pastebin as explorers

pytestmark = pytest.mark.browser


def _most_expired_held(sweep_hours: int) -> str:
    """What the explorer reports for the lazy check plus a sweep, computed here from the library."""
    run = explorers.expiry_run(sweep_hours, 4.0, 12)  # the explorer's other controls at their defaults
    both = run.summary().set_index("mode").loc["both"]
    return format_size(both["expired_bytes_max"])


def test_sweep_interval_changes_the_expired_bytes_held(page, lab):
    open_notebook(page, lab, "notebooks/12_paste_bin.ipynb")

    before = _most_expired_held(6)
    wait_text(page, ".sd-expiry-summary", f"A sweep every 6 h never holds more than {before} of them")

    set_slider(page, "Sweep every (hours)", 24)
    after = _most_expired_held(24)
    assert after != before  # sweeping four times less often leaves more expired bytes between sweeps
    wait_text(page, ".sd-expiry-summary", f"A sweep every 24 h never holds more than {after} of them")
    # scroll to the chart, as a reader would
    page.locator(".sd-expiry .sd-chart").first.scroll_into_view_if_needed()
    wait_text(page, ".sd-expiry-chart .gtitle", "Paste storage over 30 days, sweep every 24 h")

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, "notebooks/12_paste_bin.ipynb", explorers=3)
