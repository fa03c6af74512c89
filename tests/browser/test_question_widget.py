"""The checked-question widget in real JupyterLab, one test per kind: answer wrong, read why, answer
right (with the keyboard where a learner would), then see it on the course map after a reload.

Each kind gets a small notebook in the served folder with one question and the course map; the
question's key names a lesson, whose row on the map must then count it. The lab's progress store
is a fresh folder (SYSDESIGN_DATA_DIR, set in conftest.py).
"""

from __future__ import annotations

import json

import pytest
from jlab import click_button, open_notebook, wait_text
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


@pytest.fixture(scope="module")
def notebooks(lab_dir):
    for kind, (_lesson, code) in QUESTIONS.items():
        cells = [
            "from sysdesign.questions import Choice, Number, Order, Prediction\n"
            "from sysdesign.widgets.question import ask, course_map",
            code,
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
        (lab_dir / "notebooks" / f"q_{kind}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    return lab_dir


def tab_to_check(page):
    """Press Tab until the Check button has the focus (ipywidgets' radios are each their own tab stop)."""
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == "Check":
            return
    raise AssertionError("the Check button is not reachable with Tab")


def see_on_course_map(page, lab, kind, column_text):
    lesson = QUESTIONS[kind][0]
    open_notebook(page, lab, f"notebooks/q_{kind}.ipynb")  # a reload: a fresh page, the map read again
    row = page.locator(".sd-course-map-lessons tr", has_text=lesson)
    expect(row).to_contain_text(column_text)


def test_number(page, lab, notebooks):
    open_notebook(page, lab, "notebooks/q_number.ipynb")
    box = page.locator(".sd-question-number .sd-question-input input")
    expect(page.locator(".sd-question-feedback")).to_have_text("")
    box.fill("2k")
    box.press("Enter")  # Enter commits, as the Check button does
    wait_text(page, ".sd-question-feedback", "8.7 times too small")  # 17,361 / 2,000
    wait_text(page, ".sd-question-feedback", "one more try")
    expect(page.locator(".sd-question-feedback")).not_to_contain_text("17,361")
    box.fill("17,000")
    box.press("Enter")
    wait_text(page, ".sd-question-feedback", "Right")
    wait_text(page, ".sd-question-feedback", "Your 17,000 QPS ÷ 17,361 QPS")
    see_on_course_map(page, lab, "number", "1 of")


def test_choice(page, lab, notebooks):
    open_notebook(page, lab, "notebooks/q_choice.ipynb")
    quiz = page.locator(".sd-question-choice")
    quiz.locator(".widget-radio-box label", has_text="A) Postgres").click()
    tab_to_check(page)
    page.keyboard.press("Enter")
    wait_text(page, ".sd-question-feedback", "A disk read.")
    quiz.locator(".widget-radio-box label", has_text="B) Redis").click()
    click_button(page, "Check")
    wait_text(page, ".sd-question-feedback", "Right")
    see_on_course_map(page, lab, "choice", "1 of")


def test_order(page, lab, notebooks):
    open_notebook(page, lab, "notebooks/q_order.ipynb")
    box = page.locator(".sd-question-order .sd-question-input input")
    box.fill("A B C D")
    click_button(page, "Check")
    wait_text(page, ".sd-question-feedback", "in the right place")
    right = " ".join("ABCD"[LATENCY.shown.index(item)] for item in LATENCY.items)
    box.fill(right)
    box.press("Enter")
    wait_text(page, ".sd-question-feedback", "Right")
    see_on_course_map(page, lab, "order", "1 of")


def test_prediction(page, lab, notebooks):
    open_notebook(page, lab, "notebooks/q_prediction.ipynb")
    expect(page.locator(".sd-question-reveal")).not_to_contain_text("hot shard")
    click_button(page, "Check")
    wait_text(page, ".sd-status", "answer first")  # nothing is revealed before an answer
    area = page.locator(".sd-question-prediction textarea")
    area.fill("It gets overloaded")
    area.focus()
    tab_to_check(page)
    page.keyboard.press("Enter")
    wait_text(page, ".sd-question-reveal", "It gets overloaded")
    wait_text(page, ".sd-question-reveal", "It takes every read of the post: a hot shard.")
    # A prediction is answered, not marked right: the lesson's row counts it as answered.
    row_lesson = QUESTIONS["prediction"][0]
    open_notebook(page, lab, "notebooks/q_prediction.ipynb")
    cells = page.locator(".sd-course-map-lessons tr", has_text=row_lesson).locator("td")
    expect(cells.nth(3)).to_have_text("1")
