"""Due dates, per-student extensions and a late penalty, with nbgrader's own mechanisms.

- The due date is the assignment's ``duedate`` in the gradebook (``nbgrader db assignment add
  <set> --duedate="2026-12-01 17:00 UTC"``, or :func:`set_due`).
- An extension is the submission's ``extension`` (:func:`extend`): nbgrader counts lateness from
  the due date plus the extension (``SubmittedAssignment.total_seconds_late``).
- The penalty is computed when a submission is autograded, by the ``AssignLatePenalties`` step's
  plugin; :class:`LatePenalty` (set by :func:`~sysdesign.nbgrading.config.grading_rules`) takes
  ``percent_per_day`` of the notebook's score per started day late, at most all of it. Its
  default is 0 (nbgrader's default, no penalty); a course sets
  ``c.LatePenalty.percent_per_day = 10`` in ``nbgrader_config.py``.
"""

from __future__ import annotations

import datetime
import math
from pathlib import Path
from typing import TYPE_CHECKING

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float

from sysdesign.nbgrading import GradingError

if TYPE_CHECKING:
    import pandas as pd

DAY = 86_400.0  # seconds


class LatePenalty(LateSubmissionPlugin):  # type: ignore[misc]
    """``percent_per_day`` of the notebook's score for each started day (24 h) late, at most the score."""

    percent_per_day = Float(0.0, help="percent of the score taken per started day late (0 to 100)").tag(
        config=True
    )

    def late_submission_penalty(
        self, student_id: str, score: float, total_seconds_late: float
    ) -> float | None:
        return penalty(score, total_seconds_late, self.percent_per_day)


def penalty(score: float, seconds_late: float, percent_per_day: float) -> float:
    """Points taken from ``score`` for a submission ``seconds_late`` seconds late.

    >>> penalty(10, 3_600, 10)     # one started day: 10 %
    1.0
    >>> penalty(10, DAY + 1, 10)   # two started days
    2.0
    """
    if not 0 <= percent_per_day <= 100:
        raise ValueError(f"percent_per_day must be from 0 to 100, got {percent_per_day!r}")
    days = math.ceil(seconds_late / DAY) if seconds_late > 0 else 0
    return min(score, score * percent_per_day / 100 * days)


def set_due(course: Path, name: str, when: str) -> datetime.datetime:
    """Set the due date of problem set ``name`` (``"2026-12-01 17:00 UTC"``; stored in UTC)."""
    from nbgrader.api import Gradebook
    from nbgrader.utils import parse_utc

    from sysdesign.nbgrading.classgrade import gradebook_url

    try:
        due = parse_utc(when)
    except (ValueError, OverflowError):
        raise ValueError(f"due must be a date and time like '2026-12-01 17:00 UTC', got {when!r}") from None
    with Gradebook(gradebook_url(course)) as gb:
        gb.update_or_create_assignment(name, duedate=due)
    return due


def extend(course: Path, name: str, student: str, hours: float) -> datetime.timedelta:
    """Give ``student`` ``hours`` more (0 to 8760) on problem set ``name``; set it before autograding,
    which computes the penalty."""
    from nbgrader.api import Gradebook, MissingEntry

    from sysdesign.nbgrading.classgrade import gradebook_url

    if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 <= hours <= 8_760:
        raise ValueError(f"hours must be a number from 0 to 8760 (a year), got {hours!r}")
    extra = datetime.timedelta(hours=hours)
    with Gradebook(gradebook_url(course)) as gb:
        try:
            gb.find_student(student)
        except MissingEntry:
            gb.add_student(student)
        try:
            sub = gb.find_submission(name, student)
        except MissingEntry:
            sub = gb.add_submission(name, student)
        sub.extension = extra
        gb.db.commit()
    return extra


def lateness(course: Path, name: str) -> pd.DataFrame:
    """One row per submission of ``name``: due (with extension), submitted, hours late, penalty (points).

    Empty when the set has no due date.
    """
    import pandas as pd
    from nbgrader.api import Gradebook, MissingEntry

    from sysdesign.nbgrading.classgrade import gradebook_url

    rows = []
    with Gradebook(gradebook_url(course)) as gb:
        try:
            if gb.find_assignment(name).duedate is None:
                return pd.DataFrame()
        except MissingEntry:
            raise GradingError(f"problem set {name!r} is not in the gradebook; generate it first") from None
        for sub in sorted(gb.assignment_submissions(name), key=lambda s: s.student_id):
            rows.append(
                {
                    "student": sub.student_id,
                    "due": sub.duedate,
                    "extension_h": (sub.extension.total_seconds() / 3_600) if sub.extension else 0.0,
                    "submitted": sub.timestamp,
                    "late_h": sub.total_seconds_late / 3_600,
                    "penalty": sum(nb.late_submission_penalty or 0.0 for nb in sub.notebooks),
                }
            )
    return pd.DataFrame(rows)


def with_lateness(course: Path, name: str, table: pd.DataFrame) -> pd.DataFrame:
    """The grades table with ``late_h``, ``penalty`` and ``final`` (total - penalty) when ``name`` has
    a due date; unchanged otherwise."""
    late = lateness(course, name)
    if late.empty or table.empty:
        return table
    merged = table.merge(late[["student", "late_h", "penalty"]], on="student", how="left")
    merged["final"] = merged["total"] - merged["penalty"].fillna(0.0)
    return merged
