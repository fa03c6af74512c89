"""Lesson 09 in real JupyterLab: the availability calculator answers both ways."""

from __future__ import annotations

import pytest
from chartprobe import every_chart_draws
from jlab import open_notebook, select, set_text, wait_text

pytestmark = pytest.mark.browser


def test_availability_calculator_updates_downtime_and_level(page, lab):
    # A generous timeout: on a loaded 2-core runner the first plotly figure and widget import take long.
    open_notebook(page, lab, "notebooks/09_cheat_sheet.ipynb", timeout_ms=240_000)
    # Syllabus availability table: 99.99 % -> 52.6 minutes a year; 99 % -> 3.65 days a year.
    wait_text(page, ".sd-availability-downtime", "52.6 minutes")
    select(page, "Availability", "99%")
    wait_text(page, ".sd-availability-downtime", "3.65 days")
    # The other way: 52.56 minutes a year is 3,153.6 s of 31,536,000 s, i.e. 99.99 %.
    set_text(page, "Downtime per year (minutes)", "52.56")
    wait_text(page, ".sd-availability-inverse", "99.99%")

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, "notebooks/09_cheat_sheet.ipynb", explorers=1)
