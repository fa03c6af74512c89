"""Manual grading that finishes: the written answers still waiting per problem set, one answer shown
beside the model answer and its grading guide, a score that marks the answer graded, and graded
answers that stay graded when the set is autograded again.

nbgrader's own rules (0.9): setting ``Grade.manual_score`` leaves ``needs_manual_grade`` true, and
autograding a student again sets it back to true on every answer with a manual score, so
``sysdesign grades`` would show "waiting" for ever. :func:`score` sets both, and
:class:`KeepManualGrades` (nbgrader's ``SaveAutoGrades`` step, put in its place by
:func:`~sysdesign.nbgrading.config.autograde_preprocessors`) keeps a graded answer graded when a
new autograde finds the same answer text; an answer the student changed waits again. The text
compared is a SHA-256 of the answer cell's source, kept in the gradebook itself (table
``sysdesign_answer_sha``), so ``nbgrader autograde``, ``sysdesign autograde`` and the Formgrader
all follow the same rule.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbgrader import utils
from nbgrader.preprocessors import SaveAutoGrades

from sysdesign.nbgrading import GradingError
from sysdesign.nbgrading.parts import Part, cells, nbgrader_meta, parts, source

TABLE = "sysdesign_answer_sha"


def answer_sha(text: str) -> str:
    """SHA-256 (hex) of an answer's text, trailing whitespace ignored."""
    return hashlib.sha256(text.rstrip().encode("utf-8")).hexdigest()


def _table(session: Any) -> None:
    from sqlalchemy import text

    session.execute(
        text(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (assignment VARCHAR(128), student VARCHAR(128), "
            "notebook VARCHAR(128), grade_id VARCHAR(128), sha VARCHAR(64), "
            "PRIMARY KEY (assignment, student, notebook, grade_id))"
        )
    )


def recorded_sha(session: Any, key: tuple[str, str, str, str]) -> str | None:
    """The answer SHA recorded for ``(assignment, student, notebook, grade_id)``, or None."""
    from sqlalchemy import text

    _table(session)
    row = session.execute(
        text(f"SELECT sha FROM {TABLE} WHERE assignment=:a AND student=:s AND notebook=:n AND grade_id=:g"),
        dict(zip("asng", key, strict=True)),
    ).first()
    return str(row[0]) if row else None


def record_sha(session: Any, key: tuple[str, str, str, str], sha: str) -> None:
    """Record the SHA of the answer text being graded (replacing an older one)."""
    from sqlalchemy import text

    _table(session)
    params = dict(zip("asng", key, strict=True))
    session.execute(
        text(f"DELETE FROM {TABLE} WHERE assignment=:a AND student=:s AND notebook=:n AND grade_id=:g"),
        params,
    )
    session.execute(text(f"INSERT INTO {TABLE} VALUES (:a, :s, :n, :g, :h)"), {**params, "h": sha})


class KeepManualGrades(SaveAutoGrades):  # type: ignore[misc]
    """nbgrader's ``SaveAutoGrades``, except that a written answer a person graded stays graded when
    it is autograded again with the same text (nbgrader would mark it "needs grading" again)."""

    def _add_score(self, cell: Any, resources: Any) -> None:
        if not (utils.is_grade(cell) and utils.is_solution(cell)):
            super()._add_score(cell, resources)
            return
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        key = (self.assignment_id, self.student_id, self.notebook_id, grade_id)
        grade = self.gradebook.find_grade(grade_id, self.notebook_id, self.assignment_id, self.student_id)
        graded = grade.manual_score is not None and not grade.needs_manual_grade
        now = answer_sha(cell.source)
        same = recorded_sha(self.gradebook.db, key) == now
        super()._add_score(cell, resources)
        if graded and same:
            grade.needs_manual_grade = False
        record_sha(self.gradebook.db, key, now)
        self.gradebook.db.commit()


@dataclass(frozen=True)
class Answer:
    """One student's written answer graded by a person: ``score`` is None while it waits."""

    student: str
    notebook: str
    grade_id: str
    part: Part
    score: float | None
    max_score: float

    @property
    def waiting(self) -> bool:
        return self.score is None


def manual_parts(course: Path, name: str) -> dict[tuple[str, str], Part]:
    """(notebook, grade id) -> part of every manually graded answer of problem set ``name`` (a
    multi-notebook set repeats ids such as ``answer-tradeoffs`` in each notebook)."""
    found = {}
    folder = course / "solutions" / name
    if not folder.is_dir():
        raise GradingError(f"unknown problem set {name!r}: no folder {folder}")
    for path in sorted(folder.glob("*.ipynb")):
        for part in parts(json.loads(path.read_text(encoding="utf-8"))):
            for grade_id in part.manual:
                found[path.stem, grade_id] = part
    return found


def manual_answers(course: Path, name: str, db_url: str | None = None) -> list[Answer]:
    """Every submitted written answer of ``name``, by student, graded or waiting (``db_url``: the
    gradebook, default the one the course's ``nbgrader_config.py`` names)."""
    from nbgrader.api import Gradebook

    from sysdesign.nbgrading.classgrade import gradebook_url

    wanted = manual_parts(course, name)
    found = []
    with Gradebook(db_url or gradebook_url(course)) as gb:
        for sub in sorted(gb.assignment_submissions(name), key=lambda s: s.student_id):
            for nb in sub.notebooks:
                for grade in nb.grades:
                    part = wanted.get((nb.name, grade.name))
                    if part is None:
                        continue
                    done = grade.manual_score is not None and not grade.needs_manual_grade
                    found.append(
                        Answer(
                            sub.student_id,
                            nb.name,
                            grade.name,
                            part,
                            float(grade.manual_score) if done else None,
                            float(grade.max_score),
                        )
                    )
    return found


def waiting(course: Path, name: str, db_url: str | None = None) -> list[Answer]:
    """The written answers of ``name`` that no person has graded yet."""
    return [a for a in manual_answers(course, name, db_url) if a.waiting]


def _cell(path: Path, grade_id: str) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    return next(
        (
            c
            for c in cells(json.loads(path.read_text(encoding="utf-8")))
            if nbgrader_meta(c).get("grade_id") == grade_id
        ),
        None,
    )


def _find(course: Path, name: str, student: str, grade_id: str) -> tuple[str, Part, str]:
    """(notebook, part, the student's answer text) of one written answer; ``grade_id`` may name its
    notebook (``p02_paste_bin/answer-tradeoffs``), which it must when several notebooks use the id."""
    wanted = manual_parts(course, name)
    where, _, plain = grade_id.rpartition("/")
    found = [(nb, part) for (nb, gid), part in wanted.items() if gid == plain and where in ("", nb)]
    if not found:
        known = ", ".join(sorted(f"{nb}/{gid}" for nb, gid in wanted)) or "none"
        raise GradingError(f"{grade_id!r} is not a manually graded answer of {name} (those are: {known})")
    if len(found) > 1:
        names = ", ".join(f"{nb}/{plain}" for nb, _ in found)
        raise GradingError(f"{grade_id!r} is in several notebooks of {name}: name one of {names}")
    notebook, part = found[0]
    for folder in ("autograded", "submitted"):
        cell = _cell(course / folder / student / name / f"{notebook}.ipynb", plain)
        if cell is not None:
            return notebook, part, source(cell)
    raise GradingError(f"no submission of {name}/{notebook} for {student!r} in {course / 'submitted'}")


def show(course: Path, name: str, student: str, grade_id: str) -> dict[str, str]:
    """One written answer beside the model answer and grading guide (the solution cell's text)."""
    notebook, part, answer = _find(course, name, student, grade_id)
    model = _cell(course / "solutions" / name / f"{notebook}.ipynb", grade_id.rpartition("/")[2])
    model_text = re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", "", source(model or {}), flags=re.M)
    return {
        "where": f"{name}/{notebook} Part {part.letter}: {part.title} ({part.points:g} points), {student}",
        "answer": answer.strip(),
        "model": model_text.strip(),
    }


def score(
    course: Path,
    name: str,
    student: str,
    grade_id: str,
    points: float,
    comment: str | None = None,
    db_url: str | None = None,
) -> Answer:
    """Give a written answer ``points`` (0 to its maximum) and mark it graded; ``comment`` is shown
    to the student in the feedback (``db_url``: the gradebook, default the course's own)."""
    from nbgrader.api import Gradebook

    from sysdesign.nbgrading.classgrade import gradebook_url

    notebook, part, answer = _find(course, name, student, grade_id)
    with Gradebook(db_url or gradebook_url(course)) as gb:
        grade_id = grade_id.rpartition("/")[2]
        grade = gb.find_grade(grade_id, notebook, name, student)
        most = float(grade.max_score)
        if isinstance(points, bool) or not isinstance(points, int | float) or not 0 <= points <= most:
            raise ValueError(f"points must be a number from 0 to {most:g} for {grade_id}, got {points!r}")
        grade.manual_score = float(points)
        grade.extra_credit = grade.extra_credit or 0
        grade.needs_manual_grade = False
        if comment is not None:
            gb.find_comment(grade_id, notebook, name, student).manual_comment = comment
        record_sha(gb.db, (name, student, notebook, grade_id), answer_sha(answer))
        gb.db.commit()
    return Answer(student, notebook, grade_id, part, float(points), most)
