"""The mock interview on screen: the phase prompt under a phase clock, inputs, probes, the score.

A thin view over :mod:`sysdesign.interview`: every check, probe and point comes from there.
``interview_widget("chat")`` (or ``"snip"``) shows phase 1; **Submit phase** sends the inputs to
:meth:`Interview.submit` and shows the interviewer's probes and pushback, each with a box for
your reply and a **Compare** button that shows it beside the model answer (not marked).
**Go to the next phase** moves on; after the sixth phase it shows the score per phase, the
suggested level and your answers beside the model answers. The clock line counts the time spent
in each phase against its budget (:class:`sysdesign.framework.PhaseTimer`).

CSS classes: ``sd-interview`` (the whole widget), ``sd-interview-clock``, ``sd-interview-phase``,
``sd-interview-prompt``, ``sd-interview-inputs``, ``sd-interview-input`` (and
``sd-interview-input-<decision>``), ``sd-interview-submit``, ``sd-interview-next``,
``sd-status`` (input errors), ``sd-interview-probes``, ``sd-interview-probe`` (and
``sd-interview-pushback``), ``sd-interview-reply``, ``sd-interview-score``,
``sd-interview-level``, ``sd-interview-compare``. No chart.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets

from .. import framework
from ..interview import Decision, Interview, Probe, System
from ._base import STYLE, html_table, view

__all__ = ["InterviewWidget", "interview_widget"]

_CSS = (
    "<style>.sd-interview {border-left: 3px solid #4a6fa5; padding: 4px 0 4px 10px}"
    " .sd-interview-probe {background: #f6f6f6; padding: 4px 8px; margin: 4px 0}"
    " .sd-interview-pushback {background: #fdecea}"
    " .sd-interview-reply > .widget-html {flex: 1 1 0; padding: 0 8px}"
    " .sd-interview .widget-radio-box label {white-space: normal; height: auto; line-height: 1.35}"
    " .sd-interview-table td, .sd-interview-table th {padding: 2px 10px; text-align: left;"
    " vertical-align: top; white-space: pre-wrap}</style>"
)
_TABLE = "sd-table sd-interview-table"
NEXT = "Go to the next phase"
SCORE = "See the score"


class InterviewWidget(widgets.VBox):
    """One mock interview on screen; see :func:`interview_widget`.

    ``inputs`` maps each decision of the phase on screen to its input widget; ``fill(answers)``
    puts answers into them and ``press(text)`` clicks a button, as a reader would.
    """

    def __init__(self, system_key: str | System, clock: Callable[[], float]) -> None:
        self.interview = Interview(system_key)
        self.timer = framework.PhaseTimer(clock=clock)
        self.index = 0
        self.clock = view("sd-interview-clock")
        self.phase_view = view("sd-interview-phase")
        self.prompt = view("sd-interview-prompt")
        self.inputs: dict[str, Any] = {}
        self.inputs_box = widgets.VBox([]).add_class("sd-interview-inputs")
        self.submit = widgets.Button(
            description="Submit phase", button_style="primary", layout=widgets.Layout(width="auto")
        )
        self.submit.add_class("sd-interview-submit")
        self.next = widgets.Button(
            description=NEXT, disabled=True, layout=widgets.Layout(width="auto")
        ).add_class("sd-interview-next")
        self.status = view("sd-status")
        self.probes = widgets.VBox([]).add_class("sd-interview-probes")
        self.score = view("sd-interview-score")
        self.level = view("sd-interview-level")
        self.compare = view("sd-interview-compare")
        self.submit.on_click(lambda _b: self._submit())
        self.next.on_click(lambda _b: self._next())
        title = view(
            "sd-interview-title", _CSS + f"<b>Mock interview: {html.escape(self.interview.system.name)}</b>"
        )
        super().__init__(
            [
                title,
                self.clock,
                self.phase_view,
                self.prompt,
                self.inputs_box,
                widgets.HBox([self.submit, self.next]),
                self.status,
                self.probes,
                self.level,
                self.score,
                self.compare,
            ]
        )
        self.add_class("sd-interview")
        self.timer.start()
        self._show_phase()

    # what a reader does ----------------------------------------------------------------------
    def fill(self, answers: Mapping[str, object]) -> None:
        """Put ``answers`` (decision key -> answer) into the inputs of the phase on screen."""
        for key, value in answers.items():
            if key not in self.inputs:
                raise ValueError(
                    f"answers: {key!r} is not a decision of this phase; it has {', '.join(self.inputs)}"
                )
            box = self.inputs[key]
            if isinstance(box, widgets.VBox):  # a keep decision: one checkbox per option
                chosen = list(value)  # type: ignore[call-overload]
                for check in box.children[1:]:
                    check.value = check._sd_value in chosen
            elif isinstance(box, widgets.RadioButtons):
                box.value = value
            else:
                box.value = "\n".join(value) if isinstance(value, (list, tuple)) else str(value)

    def press(self, text: str) -> None:
        """Click the button labelled ``text`` ("Submit phase", "Go to the next phase", "See the score")."""
        for button in (self.submit, self.next):
            if button.description == text:
                button.click()
                return
        raise ValueError(
            f"text must be {self.submit.description!r} or {self.next.description!r}; got {text!r}"
        )

    def values(self) -> dict[str, Any]:
        """The current value of every input of the phase on screen, by decision key."""
        out: dict[str, Any] = {}
        for key, box in self.inputs.items():
            if isinstance(box, widgets.VBox):
                out[key] = [c._sd_value for c in box.children[1:] if c.value]
            else:
                out[key] = box.value
        return out

    # drawing -----------------------------------------------------------------------------------
    @property
    def phase(self) -> framework.Phase:
        return framework.PHASES[self.index]

    def _show_phase(self) -> None:
        p = self.phase
        self.phase_view.value = f"<h4>Phase {p.number} of 6: {html.escape(p.name)} ({p.minutes} minutes)</h4>"
        self.prompt.value = f"<p><b>Interviewer:</b> {html.escape(self.interview.prompt(p.key))}</p>"
        self.inputs = {d.key: _input(d) for d in self.interview.decisions(p.key)}
        self.inputs_box.children = tuple(self.inputs.values())
        self.probes.children = ()
        self.status.value = ""
        self.next.disabled = True
        self.next.description = NEXT if p.number < len(framework.PHASES) else SCORE
        self._show_clock()

    def _show_clock(self) -> None:
        t = self.timer
        if t.current is None:
            self.clock.value = (
                f"<small>Clock: {framework.format_clock(t.total_elapsed())} used in all.</small>"
            )
            return
        over = " <b style='color:#b00020'>over budget</b>" if t.is_over() else ""
        self.clock.value = (
            f"<small>Clock: phase {t.current.number} of 6, {framework.format_clock(t.elapsed())} of "
            f"{framework.format_clock(t.budget())}{over}</small>"
        )

    def _submit(self) -> None:
        try:
            result = self.interview.submit(self.phase.key, self.values())
        except (ValueError, TypeError) as exc:
            self.status.value = f"<span style='color:#b00020'>⚠ {html.escape(str(exc))}</span>"
            return
        self.status.value = ""
        self.probes.children = tuple(_probe(p) for p in result.probes) or (
            view("sd-interview-probe", "<i>The interviewer nods and moves on.</i>"),
        )
        self.next.disabled = False
        self._show_clock()

    def _next(self) -> None:
        if self.timer.status in ("running", "paused"):
            self.timer.next_phase()
        if self.index + 1 < len(framework.PHASES):
            self.index += 1
            self._show_phase()
            return
        self._show_score()

    def _show_score(self) -> None:
        card = self.interview.scorecard()
        table = card.table()
        table["share"] = (100 * table["share"]).round().astype(int).astype(str) + " %"
        self.level.value = f"<h4>{html.escape(card.why())}</h4>"
        self.score.value = (
            "<b>Score per phase</b>"
            + html_table(table, _TABLE)
            + "<b>Every item, with the reason</b>"
            + html_table(card.items_table(), _TABLE)
        )
        self.compare.value = "<b>Your answers beside the model answers</b>" + html_table(
            self.interview.comparison(), _TABLE
        )
        self.next.disabled = True
        self.submit.disabled = True
        self._show_clock()


def _input(d: Decision) -> widgets.Widget:
    """The input for one decision: checkboxes, radio buttons, a text box or a text area."""
    if d.kind == "keep":
        checks = []
        for value, label in d.options:
            check = widgets.Checkbox(
                value=False, description=label, indent=False, layout=widgets.Layout(width="auto")
            )
            check._sd_value = value  # type: ignore[attr-defined]
            checks.append(check)
        box = widgets.VBox([view("sd-interview-label", f"<b>{html.escape(d.label)}</b>"), *checks])
    elif d.kind == "pick":
        box = widgets.RadioButtons(
            options=[(label, value) for value, label in d.options],
            value=None,
            description=d.label,
            style=STYLE,
            layout=widgets.Layout(width="auto"),
        )
    elif d.kind in ("endpoints", "text"):
        hint = (
            "one endpoint a line: METHOD /path {request} -> {response}  # purpose"
            if d.kind == "endpoints"
            else ""
        )
        box = widgets.Textarea(
            description=d.label,
            placeholder=hint,
            style=STYLE,
            layout=widgets.Layout(width="95%", height="8em"),
        )
    else:
        hint = {"size": "e.g. 18 PB", "integer": "a whole number"}.get(d.kind, f"e.g. 17k ({d.unit})")
        box = widgets.Text(
            description=d.label,
            placeholder=hint,
            style={"description_width": "20em"},
            layout=widgets.Layout(width="34em"),
        )
    return box.add_class("sd-interview-input").add_class(f"sd-interview-input-{d.key}")


def _probe(p: Probe) -> widgets.VBox:
    """One follow-up: the interviewer's words, a box for your reply, and Compare to see the model answer."""
    tag = "Pushback" if p.kind == "pushback" else "Probe"
    said = view("sd-interview-said", f"<b>Interviewer ({tag}):</b> {html.escape(p.text)}")
    reply = widgets.Textarea(placeholder="Your answer…", layout=widgets.Layout(width="60%", height="4em"))
    button = widgets.Button(description="Compare")
    shown = widgets.HBox([]).add_class("sd-interview-reply")

    def compare(_b: object) -> None:
        shown.children = (
            view(
                "sd-interview-yours",
                f"<p><b>Your answer</b></p><p>{html.escape(reply.value) or '(empty)'}</p>",
            ),
            view("sd-interview-model", f"<p><b>Model answer</b></p><p>{html.escape(p.model)}</p>"),
        )

    button.on_click(compare)
    box = widgets.VBox([said, widgets.HBox([reply, button]), shown]).add_class("sd-interview-probe")
    if p.kind == "pushback":
        box.add_class("sd-interview-pushback")
    return box


def interview_widget(system: str = "chat", clock: Callable[[], float] = time.monotonic) -> InterviewWidget:
    """A mock interview of ``system`` ("chat" or "snip") that asks, probes and scores.

    ``clock`` is any callable returning seconds (``framework.ManualClock()`` in tests).
    """
    if not callable(clock):
        raise TypeError(f"clock must be a callable returning seconds, like time.monotonic; got {clock!r}")
    return InterviewWidget(system, clock)
