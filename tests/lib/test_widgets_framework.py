"""The framework explorers: the plan slider, the phase timer driven by a manual clock, the quizzes."""

from __future__ import annotations

import time

import pytest
from sysdesign import framework as fw
from sysdesign.widgets import framework as wf


def classes(widget):
    return set(getattr(widget, "_dom_classes", ()))


def find(widget, css):
    """Every descendant widget (depth first) that carries the CSS class ``css``."""
    found = [widget] if css in classes(widget) else []
    for child in getattr(widget, "children", ()):
        found += find(child, css)
    return found


# --------------------------------------------------------------------------------------------
# Plan
# --------------------------------------------------------------------------------------------


def test_plan_explorer_follows_the_slider():
    e = wf.plan_explorer()
    table = find(e, "sd-plan-table")[0]
    chart = find(e, "sd-plan-chart")[0].figure
    assert "High-level architecture" in table.value and "<td>15.0</td>" in table.value  # 15 minutes at 45
    e.controls["length"].value = 60
    assert "<td>20.0</td>" in table.value  # 15 x 60/45 = 20 minutes
    assert chart.layout.title.text == "A 60-minute interview, phase by phase"
    assert chart.data[3].x[0] == pytest.approx(20) and chart.data[3].base[0] == pytest.approx(20 / 3 * 3)
    assert e.status.value == ""


# --------------------------------------------------------------------------------------------
# Timer
# --------------------------------------------------------------------------------------------


@pytest.fixture
def clock():
    return fw.ManualClock()


@pytest.fixture
def timer_ui(clock):
    e = wf.phase_timer_explorer(clock=clock)
    yield e
    e.close()


def test_timer_views_have_the_documented_classes(timer_ui):
    for css in (
        "sd-timer",
        "sd-timer-now",
        "sd-timer-warning",
        "sd-timer-table",
        "sd-timer-progress",
        "sd-timer-buttons",
    ):
        assert find(timer_ui, css), css
    assert list(timer_ui.buttons) == ["Start", "Pause", "Resume", "Next phase", "Refresh", "Reset"]


def test_only_the_buttons_that_fit_are_enabled(timer_ui):
    def enabled():
        return {text for text, b in timer_ui.buttons.items() if not b.disabled}

    assert enabled() == {"Start", "Refresh", "Reset"}
    timer_ui.press("Start")
    assert enabled() == {"Pause", "Next phase", "Refresh", "Reset"}
    timer_ui.press("Pause")
    assert enabled() == {"Resume", "Next phase", "Refresh", "Reset"}


def test_start_refresh_overrun_and_next(timer_ui, clock):
    assert "Ready" in timer_ui.now.value and timer_ui.warning.value == ""
    timer_ui.press("Start")
    clock.advance(300)
    timer_ui.press("Refresh")
    assert "phase 1 of 6" in timer_ui.now.value and "05:00 of 05:00" in timer_ui.now.value
    assert timer_ui.warning.value == ""  # exactly on budget is not over
    clock.advance(1)
    timer_ui.press("Refresh")
    assert "00:01 over its 05:00 budget" in timer_ui.warning.value
    assert "OVER" in timer_ui.table.value
    first = timer_ui.progress.value.split("</div>")[0]
    assert "width:100.0%;background:#d62728" in first  # the bar is full and red
    assert "05:01 of 05:00" in first
    timer_ui.press("Next phase")
    assert timer_ui.warning.value == ""
    assert "phase 2 of 6" in timer_ui.now.value and "Back-of-envelope estimation" in timer_ui.now.value
    clock.advance(120)
    timer_ui.press("Refresh")
    second = timer_ui.progress.value.split("</div>")[1]
    assert "width:40.0%;background:#4C78A8" in second  # 120 s of a 300 s budget
    assert "02:00 of 05:00" in second


def test_pause_freezes_the_table(timer_ui, clock):
    timer_ui.press("Start")
    clock.advance(65)
    timer_ui.press("Pause")
    frozen = timer_ui.table.value
    assert "01:05" in frozen
    clock.advance(500)
    timer_ui.press("Refresh")
    assert timer_ui.table.value == frozen and "Paused" in timer_ui.now.value


def test_refused_action_shows_in_the_status_line(timer_ui):
    timer_ui.press("Pause")  # the button is disabled in the page, but code can still press it
    assert "pause: the timer is ready" in timer_ui.status.value
    timer_ui.press("Start")
    assert timer_ui.status.value == ""


def test_finish_and_reset(timer_ui, clock):
    timer_ui.press("Start")
    for _ in range(6):
        clock.advance(60)
        timer_ui.press("Next phase")
    assert "Finished: 06:00 used" in timer_ui.now.value
    timer_ui.press("Reset")
    assert "Ready" in timer_ui.now.value and "05:00" in timer_ui.table.value


def test_length_dropdown_rescales_budgets(timer_ui):
    timer_ui.controls["length"].value = 60
    assert timer_ui.timer.budgets[3] == pytest.approx(20 * 60)  # architecture: 15 x 60/45 = 20 min
    assert "20:00" in timer_ui.table.value


def test_live_clock_redraws_without_a_press(clock):
    e = wf.phase_timer_explorer(clock=clock, live_interval_s=0.05)
    try:
        e.press("Start")
        e.controls["live"].value = True
        clock.advance(42)
        deadline = time.monotonic() + 5
        while "00:42" not in e.now.value and time.monotonic() < deadline:
            time.sleep(0.02)
        assert "00:42" in e.now.value
        e.controls["live"].value = False
        time.sleep(0.15)  # let a tick already under way finish
        clock.advance(10)
        time.sleep(0.3)
        assert "00:52" not in e.now.value
    finally:
        e.close()


def test_bad_timer_arguments():
    with pytest.raises(TypeError, match="clock must be a callable"):
        wf.phase_timer_explorer(clock="monotonic")
    with pytest.raises(ValueError, match=r"live_interval_s must be a number in \[0.05, 60\]"):
        wf.phase_timer_explorer(live_interval_s=0)
    e = wf.phase_timer_explorer()
    with pytest.raises(ValueError, match="text must be one of 'Start'"):
        e.press("Stop")
    e.close()


# --------------------------------------------------------------------------------------------
# Quizzes
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", fw.MISTAKE_KEYS)
def test_every_quiz_builds_and_marks(key):
    q = wf.mistake_quiz(key)
    quiz = fw.mistake(key).quiz
    assert {"sd-quiz", f"sd-quiz-{key}"} <= classes(q)
    assert find(q, "sd-quiz-feedback") == [q.views["feedback"]] and q.views["feedback"].value == ""
    assert fw.mistake(key).name in q.views["snippet"].value
    q.controls["answer"].value = quiz.options[quiz.answer]
    q.press("Check")
    assert "Right" in q.views["feedback"].value and "The fix:" in q.views["feedback"].value


def test_wrong_answer_shows_the_right_one_and_changing_clears():
    q = wf.mistake_quiz("single_points_of_failure")
    q.controls["answer"].value = "The three app servers."
    assert q.views["feedback"].value == ""  # nothing until Check
    q.press("Check")
    feedback = q.views["feedback"].value
    assert "Not quite" in feedback and "The load balancer, the Redis node" in feedback
    q.controls["answer"].value = "The clients."
    assert q.views["feedback"].value == ""


def test_check_without_an_answer_asks_for_one():
    q = wf.mistake_quiz("silent_design")
    q.press("Check")
    assert "pick one of the options first" in q.status.value and q.views["feedback"].value == ""


def test_bad_quiz_key():
    with pytest.raises(ValueError, match="mistake must be one of"):
        wf.mistake_quiz("nope")
