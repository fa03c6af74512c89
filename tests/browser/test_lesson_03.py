"""Lesson 03 in real JupyterLab: run it, move the DAU control, see QPS and the storage chart follow;
answer the peak question wrong, then right.

Expected figures come from the template's arithmetic written out here (the chat app: 10 messages
per user per day, peak 3x the average, 10 % images of 200 KB and 200-byte texts, kept 5 years).
"""

from __future__ import annotations

import pytest
from chartprobe import every_chart_draws
from jlab import open_notebook, set_slider, text_of, wait_text
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MESSAGES_PER_USER = 10
PEAK_FACTOR = 3
SECONDS_PER_DAY = 86_400
BYTES_PER_MESSAGE = 0.9 * 200 + 0.1 * 200_000  # text share x text size + image share x image size
DAYS_KEPT = 5 * 365


def expected(dau_millions: float) -> tuple[str, str, str]:
    """Headline, chart title and the template's messages-per-day cell for ``dau_millions``."""
    per_day = dau_millions * 1e6 * MESSAGES_PER_USER
    avg = per_day / SECONDS_PER_DAY
    headline = f"Average {avg:,.0f} QPS, peak {avg * PEAK_FACTOR:,.0f} QPS"
    stored = per_day * BYTES_PER_MESSAGE * DAYS_KEPT
    title = f"Storage after 5 years: {stored / 1e15:.3g} PB"
    return headline, title, f"{per_day / 1e9:g} billion"


def test_dau_control_moves_qps_and_storage_chart_and_the_peak_question_marks(page, lab):
    open_notebook(page, lab, "notebooks/03_estimation.ipynb")
    headline, title, _ = expected(50)  # the chat app as the lesson opens: 5,787 and 17,361 QPS
    wait_text(page, ".sd-estimation-headline", headline)
    # The first chart of a page loads plotly.js (a 5 MB module): slow on a busy machine.
    wait_text(page, ".sd-estimation-growth .gtitle", title, timeout_ms=120_000)

    set_slider(page, "DAU (millions)", 120)

    headline, title, items = expected(120)  # 1.2 billion messages a day: 13,889 and 41,667 QPS
    wait_text(page, ".sd-estimation-headline", headline)
    wait_text(page, ".sd-estimation-growth .gtitle", title)
    assert text_of(page, ".sd-estimation-growth .gtitle") == title
    wait_text(page, ".sd-estimation-table", items)
    assert text_of(page, ".sd-explorer.sd-estimation .sd-status").strip() == ""

    # The peak question (before the explorer in the lesson): a wrong then a right answer.
    question = page.locator(".sd-question", has_text="messages per second arrive at peak")
    feedback = question.locator(".sd-question-feedback")
    answer = question.locator(".sd-question-input input")
    answer.fill("2k")  # about 8 times too small: outside ±50 %
    question.locator(".sd-question-check").click()
    expect(feedback).to_contain_text("Not yet", timeout=30_000)
    expect(feedback).to_contain_text("Hint:")
    peak = 50e6 * MESSAGES_PER_USER / SECONDS_PER_DAY * PEAK_FACTOR  # 17,361 QPS
    answer.fill("17k")
    question.locator(".sd-question-check").click()
    expect(feedback).to_contain_text("Right.", timeout=30_000)
    expect(feedback).to_contain_text(f"{peak:,.0f} QPS")

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, "notebooks/03_estimation.ipynb", explorers=1)
