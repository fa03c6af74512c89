"""Lesson 08 in real JupyterLab: answering a mistake quiz shows the feedback."""

from __future__ import annotations

import pytest
from jlab import open_notebook, wait_text

pytestmark = pytest.mark.browser


def answer(page, key, option_start):
    quiz = page.locator(f".sd-quiz-{key}")
    quiz.scroll_into_view_if_needed()
    quiz.locator(".widget-radio-box label", has_text=option_start).click()
    quiz.locator("button.jupyter-button", has_text="Check").click()


def test_quiz_feedback_right_and_wrong(page, lab):
    open_notebook(page, lab, "notebooks/08_mistakes_and_communication.ipynb")
    # The right option of the estimation quiz names the peak write rate (500M/86,400 x 3 -> about 17,000/s).
    answer(page, "no_estimation", "The peak write rate")
    wait_text(page, ".sd-quiz-no_estimation .sd-quiz-feedback", "Right")
    wait_text(page, ".sd-quiz-no_estimation .sd-quiz-feedback", "about 17,000 at a 3x peak")
    # A wrong answer elsewhere shows the best one instead.
    answer(page, "single_points_of_failure", "The three app servers")
    feedback = ".sd-quiz-single_points_of_failure .sd-quiz-feedback"
    wait_text(page, feedback, "Not quite")
    wait_text(page, feedback, "The load balancer, the Redis node")
