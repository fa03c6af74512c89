"""Model answers after an attempt: what ``sysdesign check --reveal`` and the in-notebook check show.

A part's model answer comes from its source notebook (``solutions/<set>/<notebook>.ipynb``): the
answer cells with the solution markers taken out. For a part graded by a person it is the model
answer and, split off from it, the grading guide (the paragraph that starts ``Grading guide``),
so a self-learner can grade themselves against the rubric. A part is revealed once it has been
*attempted* (an answer cell differs from the released stub in ``exercises/``) or *passed*.
Hidden tests are never part of a model answer: they live in test cells, which are not shown.

For a class, ``sysdesign reveal <set>`` (:func:`write_model_answers`) adds to each student's
feedback page (``feedback/<student>/<set>/<notebook>.html``, from ``nbgrader generate_feedback``)
the model answers of the parts that student attempted or passed, so ``nbgrader release_feedback``
returns them with the feedback.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sysdesign.nbgrading import GradingError
from sysdesign.nbgrading.parts import cells, load_notebook, nbgrader_meta, parts, source
from sysdesign.nbgrading.report import Report

_MARKER = re.compile(r"^\s*#{2,3}\s*(BEGIN|END) SOLUTION\s*$")
_GUIDE = re.compile(r"^\**Grading guide\b", re.IGNORECASE | re.MULTILINE)
_STUBS = ("raise NotImplementedError", "YOUR ANSWER HERE", "YOUR CODE HERE")


@dataclass(frozen=True)
class ModelAnswer:
    """The model answer of one part: ``code`` (Python answer cells) or ``text`` (Markdown), and ``guide``."""

    letter: str
    title: str
    manual: bool
    code: str
    text: str
    guide: str


def without_markers(text: str) -> str:
    """``text`` without nbgrader's ``### BEGIN/END SOLUTION`` lines."""
    return "\n".join(line for line in text.splitlines() if not _MARKER.match(line)).strip("\n")


def split_guide(text: str) -> tuple[str, str]:
    """(model answer, grading guide) of a manually graded answer; the guide starts ``Grading guide``."""
    found = _GUIDE.search(text)
    if not found:
        return text.strip(), ""
    return text[: found.start()].strip(), text[found.start() :].strip()


def model_answers(solution: dict[str, Any]) -> dict[str, ModelAnswer]:
    """Every part's model answer in a source notebook, by part letter."""
    by_id = {nbgrader_meta(c).get("grade_id"): c for c in cells(solution) if nbgrader_meta(c)}
    found = {}
    for part in parts(solution):
        code = "\n\n".join(without_markers(source(by_id[g])) for g in part.answers if g in by_id)
        text, guide = split_guide(
            "\n\n".join(without_markers(source(by_id[g])) for g in part.manual if g in by_id)
        )
        manual = bool(part.manual) and not part.tests
        found[part.letter] = ModelAnswer(part.letter, part.title, manual, code, text, guide)
    return found


def _answer_cells(nb: dict[str, Any]) -> dict[str, str]:
    return {
        nbgrader_meta(c)["grade_id"]: source(c).strip()
        for c in cells(nb)
        if nbgrader_meta(c).get("solution") and nbgrader_meta(c).get("grade_id")
    }


def attempted(nb: dict[str, Any], released: dict[str, Any] | None) -> set[str]:
    """Letters of the parts whose answer cells in ``nb`` differ from the ``released`` stub.

    Without the released notebook, a cell counts as attempted when it no longer holds nbgrader's
    stub (``raise NotImplementedError()`` or ``YOUR ANSWER HERE``).
    """
    mine, stub = _answer_cells(nb), _answer_cells(released or {})
    letters = set()
    for part in parts(released or nb):
        for grade_id in (*part.answers, *part.manual):
            if grade_id not in mine:
                continue
            if grade_id in stub:
                changed = mine[grade_id] != stub[grade_id]
            else:
                changed = bool(mine[grade_id]) and not any(s in mine[grade_id] for s in _STUBS)
            if changed:
                letters.add(part.letter)
    return letters


def passed(report: Report) -> set[str]:
    """Letters of the autograded parts that scored full marks."""
    return {
        p.part.letter for p in report.parts if p.score is not None and p.max_score and p.score >= p.max_score
    }


def source_notebooks(root: Path, name: str, stem: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(solution, released stub or None) of notebook ``stem`` of problem set ``name``."""
    solution = root / "solutions" / name / f"{stem}.ipynb"
    if not solution.is_file():
        raise GradingError(f"no model answers for {name}/{stem}: {solution} is missing")
    release = root / "exercises" / name / f"{stem}.ipynb"
    return load_notebook(solution), (load_notebook(release) if release.is_file() else None)


def revealed(path: Path, report: Report, root: Path, stem: str) -> list[ModelAnswer]:
    """The model answers the learner of ``path`` may see: the parts attempted or passed, in order."""
    solution, released = source_notebooks(root, report.assignment, stem)
    shown = attempted(load_notebook(path), released) | passed(report)
    return [a for letter, a in model_answers(solution).items() if letter in shown]


def reveal_text(answers: list[ModelAnswer], total_parts: int) -> str:
    """Model answers as plain text for the terminal."""
    if not answers:
        return "Model answers: none yet. Attempt a part (or pass it) and check again to see its model answer."
    lines = [f"Model answers for the {len(answers)} of {total_parts} parts you attempted or passed:"]
    for a in answers:
        lines += ["", f"--- Part {a.letter}: {a.title}" + (" (graded by a person)" if a.manual else "")]
        if a.code:
            lines.append(a.code)
        if a.text:
            lines.append(a.text)
        if a.guide:
            lines += ["", "Grade yourself: " + a.guide]
    return "\n".join(lines)


def reveal_html(answers: list[ModelAnswer], total_parts: int) -> str:
    """Model answers as HTML, one collapsed ``<details>`` per part."""
    if not answers:
        return "<p><i>Model answers appear here for each part you have attempted or passed.</i></p>"
    blocks = [
        f"<p><b>Model answers</b> for the {len(answers)} of {total_parts} parts you attempted or passed "
        "(open one after you have tried it yourself):</p>"
    ]
    for a in answers:
        body = ""
        if a.code:
            body += f"<pre style='background:#f6f6f6;padding:6px'>{html.escape(a.code)}</pre>"
        if a.text:
            body += f"<div style='white-space:pre-wrap'>{html.escape(a.text)}</div>"
        if a.guide:
            body += (
                "<p><b>Grade yourself against the guide:</b></p>"
                f"<div style='white-space:pre-wrap;border-left:3px solid #4a6fa5;padding-left:8px'>"
                f"{html.escape(a.guide)}</div>"
            )
        label = " (graded by a person)" if a.manual else ""
        blocks.append(
            "<details class='sd-model-answer'>"
            f"<summary>Part {a.letter}: {html.escape(a.title)}{label}</summary>"
            f"{body}</details>"
        )
    return "\n".join(blocks)


MARK_BEGIN, MARK_END = "<!-- sysdesign model answers -->", "<!-- /sysdesign model answers -->"


def add_to_page(page: str, section: str) -> str:
    """``page`` (a feedback HTML page) with ``section`` before ``</body>``, replacing an earlier one."""
    if MARK_BEGIN in page and MARK_END in page:
        page = page[: page.index(MARK_BEGIN)] + page[page.index(MARK_END) + len(MARK_END) :]
    block = f"{MARK_BEGIN}<div style='margin:2em auto;max-width:60em'>{section}</div>{MARK_END}"
    at = page.rfind("</body>")
    return page + block if at < 0 else page[:at] + block + page[at:]


def write_model_answers(course: Path, name: str, root: Path) -> list[Path]:
    """Add to each student's feedback page of ``name`` the model answers of the parts they
    attempted or passed (for a written part, with its grading guide); return the pages changed.

    Run it after ``nbgrader generate_feedback <name>`` and before ``nbgrader release_feedback
    <name>``: the pages are ``feedback/<student>/<name>/<notebook>.html``, which release_feedback
    hands out. Attempts are read from ``autograded/<student>/<name>/``, passes from the gradebook.
    Running it twice replaces the section.
    """
    from sysdesign.nbgrading.classgrade import gradebook_url

    graded = course / "autograded"
    if not graded.is_dir():
        raise GradingError(f"{course} has no autograded/ folder: autograde {name} first")
    written, missing = [], []
    scores = _scores(gradebook_url(course), name)
    for student_dir in sorted(p for p in graded.iterdir() if (p / name).is_dir()):
        for notebook in sorted((student_dir / name).glob("*.ipynb")):
            page = course / "feedback" / student_dir.name / name / f"{notebook.stem}.html"
            if not page.is_file():
                missing.append(str(page.relative_to(course)))
                continue
            solution, released = source_notebooks(root, name, notebook.stem)
            answers = model_answers(solution)
            full = {
                letter
                for letter in answers
                if _part_passed(scores, student_dir.name, notebook.stem, solution, letter)
            }
            shown = attempted(load_notebook(notebook), released) | full
            section = reveal_html([a for letter, a in answers.items() if letter in shown], len(answers))
            page.write_text(add_to_page(page.read_text(encoding="utf-8"), section), encoding="utf-8")
            written.append(page)
    if missing:
        raise GradingError(
            f"no feedback page for {len(missing)} graded notebooks (e.g. {missing[0]}): "
            f"run `nbgrader generate_feedback {name}` first"
        )
    return written


def _scores(db_url: str, name: str) -> dict[tuple[str, str, str], tuple[float, float]]:
    """(student, notebook, grade id) -> (auto score, max score) for every graded cell of ``name``."""
    from nbgrader.api import Gradebook, MissingEntry

    found: dict[tuple[str, str, str], tuple[float, float]] = {}
    with Gradebook(db_url) as gb:
        try:
            assignment = gb.find_assignment(name)
        except MissingEntry:
            return found
        for submission in assignment.submissions:
            for nb in submission.notebooks:
                for grade in nb.grades:
                    found[(submission.student.id, nb.name, grade.name)] = (
                        float(grade.auto_score or 0.0),
                        float(grade.max_score),
                    )
    return found


def _part_passed(
    scores: dict[tuple[str, str, str], tuple[float, float]],
    student: str,
    stem: str,
    solution: dict[str, Any],
    letter: str,
) -> bool:
    part = next(p for p in parts(solution) if p.letter == letter)
    got = [scores.get((student, stem, t)) for t in part.tests]
    return bool(got) and all(g is not None and g[1] > 0 and g[0] >= g[1] for g in got)
