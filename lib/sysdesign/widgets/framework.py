"""Explorers for the framework lessons: the interview plan, the phase timer, and the mistake quizzes.

The timer and the quizzes are driven by buttons as well as controls. :class:`ButtonExplorer`
adds a row of buttons to an :class:`Explorer`: a button runs one library action, then the
views refresh; a ``ValueError`` from the action shows in the status line. Tests and benchmarks
press buttons with ``explorer.press(label)``.
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

import ipywidgets as widgets

from .. import _check, framework, progress
from ._base import Chart, Explorer, html_table, slider, view

Action = Callable[[], object]

# Room between columns of the tables these explorers show (an HTML widget gets no notebook table style).
_ROWS = "sd-table sd-framework-rows"
_ROWS_STYLE = (
    "<style>.sd-framework-rows td, .sd-framework-rows th {padding: 2px 12px; text-align: left}</style>"
)


class ButtonExplorer(Explorer):
    """An :class:`Explorer` with buttons: each runs an action, then ``refresh()`` redraws the views.

    ``buttons`` maps a button's text to its action. The buttons sit in a row (class
    ``sd-<name>-buttons``) above the views. ``press(text)`` clicks one from code.
    """

    def __init__(
        self,
        name: str,
        controls: Mapping[str, widgets.ValueWidget],
        buttons: Mapping[str, Action],
        views: Mapping[str, widgets.Widget],
        render: Callable[[dict[str, Any]], None],
        *,
        parts: Sequence[widgets.Widget] | None = None,
        **kw: Any,
    ) -> None:
        self.buttons = {text: widgets.Button(description=text) for text in buttons}
        for text, action in buttons.items():
            self.buttons[text].on_click(partial(self._act, action))
        row = widgets.HBox(list(self.buttons.values())).add_class(f"sd-{name}-buttons")
        self._lock = threading.RLock()
        shown = list(views.values()) if parts is None else list(parts)
        super().__init__(name, controls, views, render, parts=[row, *shown], **kw)

    def refresh(self) -> None:
        """Re-run ``render`` (serialised, so a background refresh and a button press never interleave)."""
        with self._lock:
            super().refresh()

    def press(self, text: str) -> None:
        """Click the button labelled ``text``, as a reader would."""
        if text not in self.buttons:
            raise ValueError(f"text must be one of {', '.join(repr(t) for t in self.buttons)}; got {text!r}")
        self.buttons[text].click()

    def _act(self, action: Action, _button: widgets.Button) -> None:
        with self._lock:
            try:
                action()
            except (ValueError, TypeError) as exc:
                self.refresh()
                self.status.value = f"<span style='color:#b00020'>⚠ {html.escape(str(exc))}</span>"
            else:
                self.refresh()


# --------------------------------------------------------------------------------------------
# The interview plan
# --------------------------------------------------------------------------------------------


def plan_explorer(length_minutes: float = 45) -> Explorer:
    """Phase budgets for an interview of any length: a slider, the plan table and the phase bar.

    Views: ``sd-plan-table`` (phase, minutes, from/to) and ``sd-plan-chart`` (the bar of phases).
    """
    controls = {"length": slider("Interview length (min)", length_minutes, 20, 90, 5, readout_format=".0f")}
    table = view("sd-plan-table")
    chart = Chart(framework.phase_figure(length_minutes), "sd-plan-chart")

    def render(values: dict[str, Any]) -> None:
        plan = framework.plan(values["length"])
        shown = plan[["number", "phase", "minutes", "starts_at", "ends_at"]].round(1)
        table.value = _ROWS_STYLE + html_table(
            shown.rename(columns={"starts_at": "from min", "ends_at": "to min"}), _ROWS
        )
        fresh = framework.phase_figure(values["length"])
        with chart.batch_update():
            for trace, new in zip(chart.figure.data, fresh.data, strict=True):
                trace.x, trace.base, trace.text, trace.hovertemplate = (
                    new.x,
                    new.base,
                    new.text,
                    new.hovertemplate,
                )
            chart.figure.layout.title.text = fresh.layout.title.text
            chart.figure.layout.xaxis.range = fresh.layout.xaxis.range

    return Explorer("plan", controls, {"table": table, "chart": chart}, render, columns=1)


# --------------------------------------------------------------------------------------------
# The phase timer
# --------------------------------------------------------------------------------------------

LENGTHS: tuple[tuple[str, int], ...] = tuple(
    (f"{t.minutes} min ({t.name.lower()} problem)", t.minutes) for t in framework.TIERS
)


class PhaseTimerExplorer(ButtonExplorer):
    """The phase timer on screen; see :func:`phase_timer_explorer`."""

    def __init__(self, clock: Callable[[], float], live_interval_s: float) -> None:
        self.timer = framework.PhaseTimer(clock=clock)
        self.live_interval_s = live_interval_s
        self._ticker: threading.Thread | None = None
        self._stop = threading.Event()
        controls = {
            "length": widgets.Dropdown(
                options=LENGTHS,
                value=45,
                description="Interview length",
                style={"description_width": "initial"},
            ),
            "live": widgets.Checkbox(
                value=False, description="Live clock (refresh every second)", indent=False
            ),
        }
        self.now = view("sd-timer-now")
        self.warning = view("sd-timer-warning")
        self.table = view("sd-timer-table")
        self.progress = view("sd-timer-progress")
        buttons: dict[str, Action] = {
            "Start": self.timer.start,
            "Pause": self.timer.pause,
            "Resume": self.timer.resume,
            "Next phase": self.timer.next_phase,
            "Refresh": lambda: None,
            "Reset": self.timer.reset,
        }
        views = {"now": self.now, "warning": self.warning, "progress": self.progress, "table": self.table}
        super().__init__("timer", controls, buttons, views, self._render)

    def _render(self, values: dict[str, Any]) -> None:
        timer = self.timer
        if values["length"] != timer.length_minutes:
            timer.set_length(values["length"])
        self._set_live(bool(values["live"]))
        state, current = timer.state(), timer.current
        if current is None:
            self.now.value = {
                "ready": "Ready: press <b>Start</b> when the interviewer finishes the prompt.",
                "finished": f"Finished: {framework.format_clock(state['used_s'].sum())} used in all.",
            }[timer.status]
        else:
            row = state.iloc[current.number - 1]
            self.now.value = (
                f"<b>{timer.status.capitalize()}</b>: phase {current.number} of {len(state)}, "
                f"{html.escape(current.name)}, {framework.format_clock(row['used_s'])} of "
                f"{framework.format_clock(row['budget_s'])}. <i>{html.escape(current.goal)}</i>"
            )
        message = timer.warning()
        self.warning.value = (
            f"<span style='color:#b00020;font-weight:bold'>⚠ {html.escape(message)}</span>" if message else ""
        )
        self.table.value = _ROWS_STYLE + html_table(timer.report(), _ROWS)
        status = timer.status
        enabled = {
            "Start": status == "ready",
            "Pause": status == "running",
            "Resume": status == "paused",
            "Next phase": status in ("running", "paused"),
        }
        for text, on in enabled.items():
            self.buttons[text].disabled = not on
        self.progress.value = _progress_bars(state)

    # live clock ----------------------------------------------------------------------------
    def _set_live(self, on: bool) -> None:
        if on and self._ticker is None:
            self._stop = threading.Event()  # a fresh one, so a ticker still winding down stays stopped
            self._ticker = threading.Thread(
                target=self._tick, args=(self._stop,), name="sd-timer-live", daemon=True
            )
            self._ticker.start()
        elif not on and self._ticker is not None:
            self._stop.set()
            self._ticker = None

    def _tick(self, stop: threading.Event) -> None:
        while not stop.wait(self.live_interval_s):
            if self.timer.status == "running":
                self.refresh()

    def close(self) -> None:
        """Stop the live clock, then close the widget."""
        self._stop.set()
        self._ticker = None
        super().close()


_BAR_COLOURS = {"over": "#d62728", "now": "#4C78A8", "done": "#8aa6c8", "to do": "#8aa6c8"}


def _progress_bars(state: Any) -> str:
    """One bar per phase, filled to the share of its budget used (full and red once over)."""
    rows = []
    for row in state.itertuples():
        colour = _BAR_COLOURS["over" if row.over else row.status]
        label = html.escape(f"{row.number}. {row.phase}")
        rows.append(
            f"<div class='sd-timer-bar' data-phase='{row.key}' style='margin:2px 0'>"
            f"<span style='display:inline-block;width:17em'>{label}</span>"
            "<span style='display:inline-block;width:20em;height:0.8em;background:#e6ebf2;"
            "vertical-align:middle'><span style='display:block;height:100%;"
            f"width:{min(row.used_share, 1.0):.1%};background:{colour}'></span></span>"
            f"<span style='margin-left:0.8em'>{framework.format_clock(row.used_s)} of "
            f"{framework.format_clock(row.budget_s)}</span></div>"
        )
    return "".join(rows)


def phase_timer_explorer(
    clock: Callable[[], float] = time.monotonic, live_interval_s: float = 1.0
) -> PhaseTimerExplorer:
    """A stopwatch for the six phases: Start, Pause, Resume, Next phase, Refresh, Reset.

    ``clock`` is any callable returning seconds (``framework.ManualClock()`` in tests). The views
    redraw on every button press; tick "Live clock" to redraw every ``live_interval_s`` seconds
    too. Views: ``sd-timer-now`` (current phase), ``sd-timer-warning`` (text only while the
    current phase runs over), ``sd-timer-progress`` (a bar per phase: budget used, red when over)
    and ``sd-timer-table`` (budget, used, left per phase).
    """
    if not callable(clock):
        raise TypeError(f"clock must be a callable returning seconds, like time.monotonic; got {clock!r}")
    interval = _check.number("live_interval_s", live_interval_s, low=0.05, high=60)
    return PhaseTimerExplorer(clock, interval)


# --------------------------------------------------------------------------------------------
# Mistake quizzes
# --------------------------------------------------------------------------------------------


# Long options wrap onto several lines instead of overlapping the next one.
_QUIZ_STYLE = (
    "<style>.sd-quiz .widget-radio-box label {display: flex; flex-direction: row-reverse;"
    " justify-content: flex-end; align-items: flex-start; height: auto; line-height: 1.35;"
    " white-space: normal; margin: 4px 0}"
    " .sd-quiz .widget-radio-box input {flex: none; margin: 3px 8px 0 0}</style>"
)


def mistake_quiz(key: str) -> ButtonExplorer:
    """The self-check quiz of one common mistake: the snippet, the options, a Check button, feedback.

    ``key`` is one of ``framework.MISTAKE_KEYS``. Classes: ``sd-quiz`` and ``sd-quiz-<key>`` on
    the whole quiz, ``sd-quiz-snippet``, ``sd-quiz-feedback`` (empty until Check is pressed,
    cleared when the answer changes).
    """
    mistake = framework.mistake(key)
    quiz = mistake.quiz
    header = view(
        "sd-quiz-snippet",
        _QUIZ_STYLE + f"<b>{html.escape(mistake.name)}</b>"
        f"<pre style='white-space:pre-wrap;background:#f6f6f6;padding:6px'>{html.escape(quiz.snippet)}</pre>"
        f"<b>{html.escape(quiz.question)}</b>",
    )
    answer = widgets.RadioButtons(
        options=list(quiz.options), value=None, description="Answer", layout=widgets.Layout(width="auto")
    )
    feedback = view("sd-quiz-feedback")
    checked: dict[str, bool] = {"on": False}

    def check() -> None:
        if answer.value is None:
            raise ValueError("answer: pick one of the options first, then press Check")
        checked["on"] = True

    def render(values: dict[str, Any]) -> None:
        if not checked["on"] or values["answer"] is None:
            feedback.value = ""
            return
        checked["on"] = False
        result = framework.check_answer(key, values["answer"])
        try:  # counted on the course map with lesson 08's other questions
            progress.record_answer(f"{progress.MISTAKE_LESSON}.{key}", result.correct, result.chosen)
        except OSError:
            pass
        verdict = (
            "<span style='color:#1a7f37;font-weight:bold'>✔ Right.</span>"
            if result.correct
            else f"<span style='color:#b00020;font-weight:bold'>✘ Not quite.</span> "
            f"The best answer: <i>{html.escape(result.right)}</i>"
        )
        feedback.value = (
            f"{verdict}<br>{html.escape(result.explanation)}<br><b>The fix:</b> {html.escape(mistake.fix)}"
        )

    views = {"snippet": header, "feedback": feedback}
    panel = ButtonExplorer(
        f"quiz-{key}", {"answer": answer}, {"Check": check}, views, render, parts=[feedback], columns=1
    )
    panel.add_class("sd-quiz")
    grid, status, row, *rest = panel.children
    panel.children = (header, grid, row, *rest, status)  # the snippet first, the status line last
    return panel
