"""Fixing a grading decision for the whole class: after an instructor corrects a test in
``solutions/<set>/`` (a tolerance, an accepted alternative), regenerate the set (the gradebook's
copy of the tests and ``exercises/<set>/``) and autograde every submission again. Written answers a
person graded stay graded (:class:`~sysdesign.nbgrading.manual.KeepManualGrades`); the result says
whose scores changed, and on which parts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sysdesign.nbgrading.classgrade import Graded, autograde_class, gradebook_url, submitted_students
from sysdesign.nbgrading.course import TempCourse, quiet_stderr
from sysdesign.nbgrading.parts import parts


@dataclass(frozen=True)
class Change:
    """One student's total before and after the regrade, and the parts whose score moved."""

    student: str
    before: float | None  # None: not graded before
    after: float | None
    parts: tuple[str, ...]  # "<notebook> Part X"


def grade_scores(course: Path, name: str) -> dict[str, dict[str, float]]:
    """student -> {"<notebook>/<grade id>": score} for every graded cell of problem set ``name``."""
    from nbgrader.api import Gradebook, MissingEntry

    found: dict[str, dict[str, float]] = {}
    with Gradebook(gradebook_url(course)) as gb:
        try:
            submissions = gb.assignment_submissions(name)
        except MissingEntry:
            return {}
        for sub in submissions:
            found[sub.student_id] = {
                f"{nb.name}/{g.name}": float(g.score) for nb in sub.notebooks for g in nb.grades
            }
    return found


def part_of(course: Path, name: str) -> dict[str, str]:
    """ "<notebook>/<grade id>" -> "<notebook> Part X" for the graded cells of problem set ``name``."""
    found = {}
    for path in sorted((course / "solutions" / name).glob("*.ipynb")):
        for part in parts(json.loads(path.read_text(encoding="utf-8"))):
            for grade_id in (*part.tests, *part.manual):
                found[f"{path.stem}/{grade_id}"] = f"{path.stem} Part {part.letter}"
    return found


def regrade(
    course: Path,
    name: str,
    *,
    jobs: int = 1,
    timeout: int | None = None,
    progress: Callable[[Graded], None] | None = None,
) -> tuple[list[Change], list[Graded]]:
    """Regenerate ``name`` from ``solutions/`` and autograde every submission again.

    Returns the students whose scores changed (sorted) and the outcome of each autograde.
    """
    students = submitted_students(course, name)
    before = grade_scores(course, name)
    with quiet_stderr():
        TempCourse([], root=course, folder=course).generate(name)
    done = autograde_class(name, course, students, timeout=timeout, jobs=jobs, progress=progress)
    after = grade_scores(course, name)
    labels = part_of(course, name)
    changes = []
    for student in sorted(set(before) | set(after)):
        old, new = before.get(student, {}), after.get(student, {})
        moved = sorted({labels.get(k, k) for k in set(old) | set(new) if old.get(k) != new.get(k)})
        if moved:
            changes.append(
                Change(
                    student,
                    sum(old.values()) if old else None,
                    sum(new.values()) if new else None,
                    tuple(moved),
                )
            )
    return changes, done
