"""The checked-question widget: commit an answer, read why, try again.

A thin view over the pure marking in :mod:`sysdesign.questions`.

Usage in a lesson (the key is ``"NN.slug"`` with the lesson's number; numbers come from the library)::

    from sysdesign import estimate
    from sysdesign.questions import Choice, Number, Order, Prediction
    from sysdesign.widgets.question import ask

    t = estimate.traffic(per_day=500e6)
    ask(Number("03.peak_qps", "Before you run the next cell: roughly what is the peak QPS?",
               answer=t.peak_qps, unit="QPS", rel_tol=0.5,
               working="500 million messages/day ÷ 86,400 s/day × 3 (peak factor)"))
    ask(Choice("05.cache", "Which store serves a hot read fastest?", ("Postgres", "Redis", "S3"),
               answer=1, explanation="Redis keeps the data in memory: well under a millisecond."))
    ask(Order("09.latency", "Fastest first:", ("L1 cache hit", "SSD read", "Disk seek"),
              explanation="..."))
    ask(Prediction("07.hot_key", "What happens to one shard when a celebrity posts?",
                   model_answer="..."))

The learner types an answer (a number like ``17k``, letters like ``C A B``) or picks an option,
then presses Enter or the Check button (Tab reaches it). Nothing is revealed before that
commit. A wrong first try shows how far off it is and the hint; the right answer or the last try
shows the computation with the learner's number in it. A prediction is shown beside the model
answer. Each commit is recorded in :mod:`sysdesign.progress` (the course map in lesson 00 shows
it). CSS classes: ``sd-question``, ``sd-question-<kind>``, ``sd-question-prompt``,
``sd-question-input``, ``sd-question-check`` (the button), ``sd-question-feedback``,
``sd-question-reveal`` (prediction vs model answer), ``sd-status`` (input errors).
"""

from __future__ import annotations

import html
import warnings
import weakref
from collections.abc import Callable

import ipywidgets as widgets

from .. import progress
from ..questions import Choice, Number, Order, Prediction, Question, Verdict
from ._base import STYLE, html_table, view

__all__ = ["QuestionWidget", "ask", "course_map"]

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_STYLE = (
    "<style>.sd-question {border-left: 3px solid #4a6fa5; padding: 4px 0 4px 10px; margin: 6px 0}"
    " .sd-question .widget-radio-box label {white-space: normal; height: auto; line-height: 1.35}"
    " .sd-question-reveal > .widget-html {flex: 1 1 0; background: #f6f6f6;"
    " padding: 0 8px; margin-right: 8px}"
    "</style>"
)
_MAPS: weakref.WeakKeyDictionary[widgets.VBox, Callable[[], None]] = weakref.WeakKeyDictionary()
"""Course maps shown in this kernel, with their redraw: a committed answer updates them."""
_RIGHT = "<span style='color:#1a7f37;font-weight:bold'>✔ Right.</span>"
_WRONG = "<span style='color:#b00020;font-weight:bold'>✘ Not yet.</span>"


class QuestionWidget(widgets.VBox):
    """One checked question. ``answer(response)`` commits from code, as Enter or Check would.

    ``verdicts`` lists the verdicts so far; ``done`` is True after a right answer or the last try.
    """

    def __init__(self, question: Question, *, record: bool = True) -> None:
        if not isinstance(question, (Number, Choice, Order, Prediction)):
            raise TypeError(f"question must be a Number, Choice, Order or Prediction, got {question!r}")
        self.question = question
        self.record = record
        self.verdicts: list[Verdict] = []
        self.done = False
        self.prompt = view("sd-question-prompt", _STYLE + _prompt_html(question))
        self.input = _input(question).add_class("sd-question-input")
        self.button = widgets.Button(
            description="Check", button_style="primary", tooltip="Commit this answer (Enter works too)"
        ).add_class("sd-question-check")
        self.status = view("sd-status")
        self.feedback = view("sd-question-feedback")
        self.reveal = widgets.HBox([]).add_class("sd-question-reveal")
        self.button.on_click(lambda _b: self._commit())
        if isinstance(self.input, widgets.Text):
            # ipywidgets 8 marks on_submit deprecated, but Enter still sends it
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                self.input.on_submit(lambda _w: self._commit())
        row = widgets.HBox([self.input, self.button])
        super().__init__([self.prompt, row, self.status, self.feedback, self.reveal])
        self.add_class("sd-question").add_class(f"sd-question-{question.kind}")

    def answer(self, response: object) -> Verdict | None:
        """Put ``response`` in the input and commit it; returns the verdict (None if it was refused)."""
        if isinstance(self.input, widgets.RadioButtons) and isinstance(response, int):
            response = self.input.options[response]
        self.input.value = response
        before = len(self.verdicts)
        self._commit()
        return self.verdicts[-1] if len(self.verdicts) > before else None

    def _commit(self) -> None:
        if self.done:
            return
        value = self.input.value
        if isinstance(self.input, widgets.RadioButtons) and value is not None:
            value = self.input.index
        try:
            if value is None or (isinstance(value, str) and not value.strip()):
                raise ValueError("answer first: type or pick your answer, then press Enter or Check")
            verdict = self.question.check(value)
        except (ValueError, TypeError) as exc:
            self.status.value = f"<span style='color:#b00020'>⚠ {html.escape(str(exc))}</span>"
            return
        self.status.value = ""
        self.verdicts.append(verdict)
        if self.record:
            try:
                progress.record_answer(self.question.key, verdict.correct, str(self.input.value))
            except OSError as exc:  # a read-only home must not break the lesson
                self.status.value = f"(progress not saved: {html.escape(str(exc))})"
            else:
                for redraw in list(_MAPS.values()):
                    redraw()
        tries_left = self.question.tries - len(self.verdicts)
        self.done = verdict.correct is not False or tries_left <= 0
        self.feedback.value = _feedback_html(self.question, verdict, tries_left, self.done)
        if isinstance(self.question, Prediction):
            self.reveal.children = (
                view("sd-question-yours", f"<p><b>Your prediction</b></p><p>{html.escape(str(value))}</p>"),
                view("sd-question-model", f"<p><b>Model answer</b></p><p>{html.escape(verdict.answer)}</p>"),
            )
        if self.done:
            self.input.disabled = True
            self.button.disabled = True


def _prompt_html(q: Question) -> str:
    text = f"<b>{html.escape(q.prompt)}</b>"
    if isinstance(q, Number):
        unit = f" (in {html.escape(q.unit)})" if q.unit else ""
        return f"{text}<br><small>Type a number{unit}: 17000, 17,000, 17k and 1.7e4 all work.</small>"
    if isinstance(q, Order):
        items = "".join(f"<li><b>{_LETTERS[i]}</b>) {html.escape(x)}</li>" for i, x in enumerate(q.shown))
        return (
            f"{text}<ul style='list-style:none;padding-left:8px'>{items}</ul>"
            "<small>Type the letters in your order, separated by spaces.</small>"
        )
    if isinstance(q, Prediction):
        return f"{text}<br><small>Write your prediction in a sentence or two, then press Check.</small>"
    return text


def _input(q: Question) -> widgets.ValueWidget:
    if isinstance(q, Choice):
        return widgets.RadioButtons(
            options=[f"{_LETTERS[i]}) {o}" for i, o in enumerate(q.options)],
            value=None,
            layout=widgets.Layout(width="auto"),
        )
    if isinstance(q, Prediction):
        return widgets.Textarea(placeholder="I expect …", layout=widgets.Layout(width="60%", height="4em"))
    placeholder = "e.g. 17k" if isinstance(q, Number) else "e.g. " + " ".join(_LETTERS[: len(q.items)])
    return widgets.Text(placeholder=placeholder, style=STYLE, description="Your answer")


def _feedback_html(q: Question, v: Verdict, tries_left: int, done: bool) -> str:
    summary = v.summary.removeprefix("Not yet: ")
    summary = html.escape(summary[:1].upper() + summary[1:])
    if v.correct is None:
        return f"<p>{html.escape(v.summary)}</p>"
    if v.correct:
        return f"<p>{_RIGHT} {html.escape(v.why)}</p>"
    if not done:
        hint_text = "" if isinstance(q, Prediction) else q.hint
        hint = f"<br><b>Hint:</b> {html.escape(hint_text)}" if hint_text else ""
        more = "one more try" if tries_left == 1 else f"{tries_left} more tries"
        return f"<p>{_WRONG} {summary}{hint}<br><i>You have {more}.</i></p>"
    return f"<p>{_WRONG} {summary}<br><b>The answer:</b> {html.escape(v.why)}</p>"


def ask(question: Question, *, record: bool = True) -> QuestionWidget:
    """Show ``question`` as a checked-question widget; ``record=False`` keeps no progress."""
    return QuestionWidget(question, record=record)


def course_map() -> widgets.VBox:
    """Your progress on the course map: per lesson the questions answered right, per problem set the
    parts passed in a self-check. Read from :mod:`sysdesign.progress` when shown, on Refresh and
    after each answer committed in this kernel; "Reset progress" asks once more, then forgets all.

    Classes: ``sd-course-map``, ``sd-course-map-lessons``, ``sd-course-map-sets``,
    ``sd-course-map-refresh``, ``sd-course-map-reset`` (the buttons), ``sd-status``.
    """
    lessons, sets, status = view("sd-course-map-lessons"), view("sd-course-map-sets"), view("sd-status")
    refresh = widgets.Button(description="Refresh", tooltip="Read your progress again").add_class(
        "sd-course-map-refresh"
    )
    reset = widgets.Button(description="Reset progress", button_style="warning").add_class(
        "sd-course-map-reset"
    )

    def draw(_b: object = None) -> None:
        table = progress.lesson_table()
        table["questions right"] = [
            f"{r} of {q}" if q else "–" for r, q in zip(table.right, table.questions, strict=True)
        ]
        lessons.value = "<b>Lessons</b>" + html_table(
            table[["lesson", "title", "questions right", "answered"]]
        )
        done = progress.problem_set_table()
        done["parts passed"] = [
            f"{p} of {n}" if c else f"not checked yet ({n} parts)"
            for p, n, c in zip(done.passed, done.parts, done.checked, strict=True)
        ]
        sets.value = "<b>Problem sets</b> (self-checks)" + html_table(
            done[["problem_set", "notebook", "parts passed"]]
        )
        reset.description = "Reset progress"
        status.value = (
            f"<small>Kept in {html.escape(str(progress.path()))}, never in the course folder.</small>"
        )

    def on_reset(_b: object) -> None:
        if reset.description == "Reset progress":
            reset.description = "Click again to forget all"
            status.value = "<b>Forget every answer and check result?</b> Click the button again to confirm."
            return
        progress.reset()
        draw()
        status.value = "Progress reset."

    refresh.on_click(draw)
    reset.on_click(on_reset)
    draw()
    box = widgets.VBox([widgets.HBox([refresh, reset]), status, lessons, sets]).add_class("sd-course-map")
    _MAPS[box] = draw
    return box
