"""Lesson 00 in real JupyterLab: the environment check's slider drives its label, and plotly draws."""

from __future__ import annotations

import pytest
from chartprobe import every_chart_draws
from jlab import open_notebook, set_slider, wait_text
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_environment_check_slider_updates_the_label(page, lab):
    open_notebook(page, lab, "notebooks/00_welcome.ipynb")
    wait_text(page, ".sd-envcheck-label", "3 squared is 9")  # the slider starts at 3
    set_slider(page, "Check slider", 7)
    wait_text(page, ".sd-envcheck-label", "7 squared is 49")  # 7 x 7
    # The plotly check: the course-map bar chart rendered with its title.
    expect(page.locator(".js-plotly-plot .gtitle", has_text="Minutes per lesson")).to_have_count(1)
    # The example explorer: the architecture row reads 15 minutes at the default 45-minute length.
    wait_text(page, ".sd-plan-table", "High-level architecture")

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, "notebooks/00_welcome.ipynb", explorers=1)
