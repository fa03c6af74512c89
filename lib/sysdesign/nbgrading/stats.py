"""Where the class struggles: per part of a problem set, the mean score, the share of students with
full marks, the most common failure messages and the students who lost points.

Scores come from the gradebook (autograded parts per test cell, written answers from the person who
graded them; those still waiting are left out of the mean and counted apart), failure messages
from the autograded notebooks (:func:`~sysdesign.nbgrading.report.read_report`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sysdesign.nbgrading.course import TempCourse
from sysdesign.nbgrading.report import read_report

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class PartStats:
    """One part of a problem set across the class."""

    notebook: str
    letter: str
    title: str
    points: float
    manual: bool
    scores: dict[str, float] = field(default_factory=dict)  # student -> points (graded only)
    waiting: list[str] = field(default_factory=list)  # students whose written answer waits
    failures: Counter[str] = field(default_factory=Counter)

    @property
    def mean(self) -> float | None:
        return sum(self.scores.values()) / len(self.scores) if self.scores else None

    @property
    def full_marks(self) -> float | None:
        """Share (0 to 1) of graded students with every point of the part."""
        if not self.scores:
            return None
        return sum(s >= self.points for s in self.scores.values()) / len(self.scores)

    @property
    def lost(self) -> list[str]:
        """Students who lost points on this part, sorted."""
        return sorted(s for s, got in self.scores.items() if got < self.points)


def part_stats(course: Path, name: str) -> list[PartStats]:
    """Per part of problem set ``name`` (in notebook and part order), over every graded submission."""
    from nbgrader.api import Gradebook

    from sysdesign.nbgrading.classgrade import gradebook_url
    from sysdesign.nbgrading.manual import manual_answers

    with Gradebook(gradebook_url(course)) as gb:
        students = sorted(s.student_id for s in gb.assignment_submissions(name))
    tc = TempCourse([], root=course, folder=course)
    table: dict[tuple[str, str], PartStats] = {}
    for stem in tc.notebook_names(name):
        for student in students:
            for p in read_report(tc, name, student, [stem]).parts:
                key = (stem, p.part.letter)
                row = table.setdefault(
                    key, PartStats(stem, p.part.letter, p.part.title, p.max_score, p.score is None)
                )
                if p.score is not None:
                    row.scores[student] = p.score
                    row.failures.update(p.messages)
    for answer in manual_answers(course, name):
        row = table[(answer.notebook, answer.part.letter)]
        if answer.waiting:
            row.waiting.append(answer.student)
        else:
            row.scores[answer.student] = row.scores.get(answer.student, 0.0) + (answer.score or 0.0)
    return list(table.values())


def stats_table(course: Path, name: str, top: int = 3) -> pd.DataFrame:
    """:func:`part_stats` as a table: one row per part; ``top`` most common failure messages."""
    import pandas as pd

    rows = []
    for p in part_stats(course, name):
        rows.append(
            {
                "notebook": p.notebook,
                "part": p.letter,
                "title": p.title,
                "kind": "manual" if p.manual else "auto",
                "points": p.points,
                "graded": len(p.scores),
                "mean": p.mean,
                "full_marks": p.full_marks,
                "waiting": len(p.waiting),
                "lost_by": " ".join(p.lost),
                "common_failures": " | ".join(f"{n}x {m}" for m, n in p.failures.most_common(top)),
            }
        )
    return pd.DataFrame(rows)
