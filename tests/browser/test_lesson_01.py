"""Lesson 01 in real JupyterLab: the phase timer on the real clock moves through the phases."""

from __future__ import annotations

import re

import pytest
from chartprobe import every_chart_draws
from jlab import click_button, click_until, open_notebook, wait_text
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROWS = ".sd-timer-table tbody tr"


def test_phase_timer_start_and_next_phase(page, lab):
    open_notebook(page, lab, "notebooks/01_framework.ipynb")
    wait_text(page, ".sd-timer-now", "Ready")
    expect(page.locator(ROWS).nth(0)).to_contain_text("to do")
    click_button(page, "Start")
    wait_text(page, ".sd-timer-now", "phase 1 of 6")
    expect(page.locator(ROWS).nth(0)).to_contain_text("now")
    click_button(page, "Next phase")
    wait_text(page, ".sd-timer-now", "phase 2 of 6")
    expect(page.locator(ROWS).nth(0)).to_contain_text("done")
    expect(page.locator(ROWS).nth(1)).to_contain_text("now")
    # Real seconds pass while running: Refresh shows the clock of phase 2 moved past 00:00 (and far
    # from its 5-minute budget).
    click_until(page, "Refresh", ".sd-timer-now", re.compile(r"(00:(0[1-9]|[1-5]\d)|0[1-4]:\d\d) of 05:00"))
    expect(page.locator(".sd-timer-warning")).to_have_text("")  # nowhere near the budget

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, "notebooks/01_framework.ipynb", explorers=1)
