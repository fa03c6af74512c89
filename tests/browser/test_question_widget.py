"""The checked-question widget in real JupyterLab, every kind in one small lesson: answer wrong, read
why, answer right (with the keyboard where a learner would), then see each on the course map after a
reload.

The notebook in the served folder holds one question of each kind and the course map; each
question's key names a lesson, whose row on the map must then count it. The lab's progress store
is a fresh folder (SYSDESIGN_DATA_DIR, set in conftest.py). One notebook, opened twice, keeps the
browser's work (loading JupyterLab, starting a kernel) to what the questions need.
"""

from __future__ import annotations

import json

import pytest
from jlab import open_notebook
from playwright.sync_api import expect
from sysdesign.questions import Order

pytestmark = pytest.mark.browser

# 500 million messages a day at a 3x peak: 500e6 / 86,400 * 3 = 17,361 QPS (the seed's chat estimate).
QUESTIONS = {
    "number": (
        "01_framework",
        'ask(Number("01.browser_peak", "Peak QPS for 500 M messages/day?", answer=500e6 / 86_400 * 3,\n'
        '           unit="QPS", rel_tol=0.25, working="500 M ÷ 86,400 s × 3", hint="A day has 86,400 s."))',
    ),
    "choice": (
        "02_requirements",
        'ask(Choice("02.browser_cache", "Where is a hot read fastest?",\n'
        '           ("Postgres", "Redis", "S3"), answer=1,\n'
        '           explanation="Redis answers from memory.", why_not=("A disk read.", "", "Tens of ms.")))',
    ),
    "order": (
        "03_estimation",
        'ask(Order("03.browser_latency", "Fastest first",\n'
        '          ("L1 cache hit", "RAM read", "SSD read", "Disk seek"),\n'
        '          explanation="Each step is about 100x slower."))',
    ),
    "prediction": (
        "04_api_design",
        'ask(Prediction("04.browser_hot", "What happens to the celebrity\'s shard?",\n'
        '                model_answer="It takes every read of the post: a hot shard."))',
    ),
}
LATENCY = Order("03.browser_latency", "x", ("L1 cache hit", "RAM read", "SSD read", "Disk seek"), "x")


PATH = "notebooks/q_all.ipynb"


@pytest.fixture(scope="module")
def notebook(lab_dir):
    cells = [
        "from sysdesign.questions import Choice, Number, Order, Prediction\n"
        "from sysdesign.widgets.question import ask, course_map",
        *(code for _lesson, code in QUESTIONS.values()),
        "course_map()",
    ]
    nb = {
        "cells": [
            {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": c}
            for c in cells
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (lab_dir / PATH).write_text(json.dumps(nb), encoding="utf-8")
    return lab_dir


def tab_to_check(page):
    """Press Tab until a Check button has the focus (ipywidgets' radios are each their own tab stop)."""
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == "Check":
            return
    raise AssertionError("the Check button is not reachable with Tab")


def answer_number(page):
    quiz = page.locator(".sd-question-number")
    box, feedback = quiz.locator(".sd-question-input input"), quiz.locator(".sd-question-feedback")
    expect(feedback).to_have_text("")
    box.fill("2k")
    box.press("Enter")  # Enter commits, as the Check button does
    expect(feedback).to_contain_text("8.7 times too small")  # 17,361 / 2,000
    expect(feedback).to_contain_text("one more try")
    expect(feedback).not_to_contain_text("17,361")
    box.fill("17,000")
    box.press("Enter")
    expect(feedback).to_contain_text("Right")
    expect(feedback).to_contain_text("Your 17,000 QPS ÷ 17,361 QPS")


def answer_choice(page):
    quiz = page.locator(".sd-question-choice")
    feedback = quiz.locator(".sd-question-feedback")
    quiz.locator(".widget-radio-box label", has_text="A) Postgres").click()
    tab_to_check(page)
    page.keyboard.press("Enter")
    expect(feedback).to_contain_text("A disk read.")
    quiz.locator(".widget-radio-box label", has_text="B) Redis").click()
    quiz.locator(".sd-question-check").click()
    expect(feedback).to_contain_text("Right")


def answer_order(page):
    quiz = page.locator(".sd-question-order")
    box, feedback = quiz.locator(".sd-question-input input"), quiz.locator(".sd-question-feedback")
    box.fill("A B C D")
    quiz.locator(".sd-question-check").click()
    expect(feedback).to_contain_text("in the right place")
    right = " ".join("ABCD"[LATENCY.shown.index(item)] for item in LATENCY.items)
    box.fill(right)
    box.press("Enter")
    expect(feedback).to_contain_text("Right")


def answer_prediction(page):
    quiz = page.locator(".sd-question-prediction")
    reveal = quiz.locator(".sd-question-reveal")
    expect(reveal).not_to_contain_text("hot shard")
    quiz.locator(".sd-question-check").click()
    expect(quiz.locator(".sd-status")).to_contain_text("answer first")  # nothing revealed before an answer
    area = quiz.locator("textarea")
    area.fill("It gets overloaded")
    area.focus()
    tab_to_check(page)
    page.keyboard.press("Enter")
    expect(reveal).to_contain_text("It gets overloaded")
    expect(reveal).to_contain_text("It takes every read of the post: a hot shard.")


def map_counts(page) -> dict[str, tuple[int, int]]:
    """Per lesson of QUESTIONS: (questions right, questions answered), as the course map shows them."""
    counts = {}
    for lesson, _code in QUESTIONS.values():
        cells = page.locator(".sd-course-map-lessons tr", has_text=lesson).locator("td")
        right = cells.nth(2).text_content().split(" of ")[0]
        counts[lesson] = (int(right), int(cells.nth(3).text_content()))
    return counts


def test_each_kind_is_marked_then_counted_on_the_course_map(page, lab, notebook):
    open_notebook(page, lab, PATH)
    before = map_counts(page)  # other tests of this session may have answered in these lessons
    answer_number(page)
    answer_choice(page)
    answer_order(page)
    answer_prediction(page)
    open_notebook(page, lab, PATH)  # a reload: a fresh page, the map read again
    after = map_counts(page)
    for kind in ("number", "choice", "order"):
        lesson = QUESTIONS[kind][0]
        assert after[lesson] == (before[lesson][0] + 1, before[lesson][1] + 1), kind
    # A prediction is answered, not marked right: the lesson's row counts it as answered only.
    lesson = QUESTIONS["prediction"][0]
    assert after[lesson] == (before[lesson][0], before[lesson][1] + 1)
