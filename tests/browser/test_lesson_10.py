"""Lesson 10 in real JupyterLab: the mock interview's phase timer starts and steps through the phases,
and the interviewer that talks back probes the decision just submitted."""

from __future__ import annotations

import pytest
from chartprobe import every_chart_draws
from jlab import click_button, open_notebook, wait_text
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROWS = ".sd-timer-table tbody tr"


def test_mock_interview_timer_moves_through_phases(page, lab):
    open_notebook(page, lab, "notebooks/10_mock_interview_chat.ipynb")
    wait_text(page, ".sd-timer-now", "Ready")
    expect(page.locator(ROWS)).to_have_count(6)
    expect(page.locator(ROWS).nth(0)).to_contain_text("to do")

    click_button(page, "Start")
    wait_text(page, ".sd-timer-now", "phase 1 of 6")
    wait_text(page, ".sd-timer-now", "Requirements and scope")
    expect(page.locator(ROWS).nth(0)).to_contain_text("now")

    click_button(page, "Next phase")
    wait_text(page, ".sd-timer-now", "phase 2 of 6")
    click_button(page, "Next phase")
    wait_text(page, ".sd-timer-now", "phase 3 of 6")
    wait_text(page, ".sd-timer-now", "API design")
    for done in (0, 1):
        expect(page.locator(ROWS).nth(done)).to_contain_text("done")
    expect(page.locator(ROWS).nth(2)).to_contain_text("now")
    expect(page.locator(ROWS).nth(3)).to_contain_text("to do")
    # The 45-minute budgets: API design gets 05:00, the architecture 15:00.
    expect(page.locator(".sd-timer-now")).to_contain_text("of 05:00")
    expect(page.locator(ROWS).nth(3)).to_contain_text("15:00")

    interviewer_probes_the_decision_just_submitted(page)

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, "notebooks/10_mock_interview_chat.ipynb", explorers=1)


def interviewer_probes_the_decision_just_submitted(page):
    """Phase 1 of the chat interview: tick a feature nobody asked for, submit, and the probe names it."""
    chat = page.locator(".sd-interview").first
    chat.scroll_into_view_if_needed()
    expect(chat.locator(".sd-interview-phase")).to_contain_text("Phase 1 of 6")
    expect(chat.locator(".sd-interview-probe")).to_have_count(0)

    chat.locator(".widget-checkbox", has_text="Voice and video calls").locator("input").check()
    chat.locator(".sd-interview-submit").click()
    probe = chat.locator(".sd-interview-probe").first
    expect(probe).to_contain_text("Nobody asked for 'Voice and video calls'")

    # A reply is shown beside the model answer, not marked.
    probe.locator("textarea").fill("Out of scope: I would name it as an extension.")
    probe.locator("button.jupyter-button", has_text="Compare").click()
    expect(probe.locator(".sd-interview-yours")).to_contain_text("name it as an extension")
    expect(probe.locator(".sd-interview-model")).to_contain_text("extension in the wrap-up")
