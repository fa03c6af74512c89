"""Grades for a learning-management system's gradebook import: Canvas and Moodle CSV files.

Names, emails and LMS user ids come from the roster in the gradebook (``nbgrader db student import
roster.csv`` with columns ``id,first_name,last_name,email,lms_user_id``). Each problem set is one
column of final points (after any late penalty); ``parts=True`` adds one column per part. A student
with no submission has an empty cell, which both systems read as "no grade" rather than 0.

Canvas (Grades -> Import): ``Student`` ("Last, First"), ``ID`` (Canvas user id), ``SIS User ID``,
``SIS Login ID``, ``Section``, then one column per assignment, with a second row ``Points
Possible`` as in Canvas's own export. Moodle (Grades -> Import -> CSV file): one row per student
with ``Email address`` to map users on, and one column per grade item.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sysdesign.nbgrading.parts import parts

if TYPE_CHECKING:
    import pandas as pd

CANVAS_IDS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_IDS = ["First name", "Last name", "Email address", "ID number"]


def roster(course: Path) -> dict[str, dict[str, str]]:
    """student id -> first_name, last_name, email, lms_user_id (empty strings when not known)."""
    from nbgrader.api import Gradebook

    from sysdesign.nbgrading.classgrade import gradebook_url

    with Gradebook(gradebook_url(course)) as gb:
        return {
            s.id: {k: getattr(s, k) or "" for k in ("first_name", "last_name", "email", "lms_user_id")}
            for s in gb.students
        }


def _part_labels(course: Path, name: str) -> dict[str, tuple[str, float]]:
    """grade id -> (column label, points) per part of problem set ``name``."""
    found = {}
    for path in sorted((course / "solutions" / name).glob("*.ipynb")):
        for part in parts(json.loads(path.read_text(encoding="utf-8"))):
            prefix = name if path.stem == name else f"{name} {path.stem}"
            for grade_id in (*part.tests, *part.manual):
                found[f"{path.stem}/{grade_id}"] = (f"{prefix} Part {part.letter}", part.points)
    return found


def scores(
    course: Path, names: Sequence[str], *, parts: bool = False
) -> tuple[pd.DataFrame, dict[str, float]]:
    """One row per student of the roster or with a submission: final points per set (and per part).

    Returns the table (index: student id) and the points possible per column.
    """
    import pandas as pd
    from nbgrader.api import Gradebook, MissingEntry

    from sysdesign.nbgrading.classgrade import gradebook_url

    rows: dict[str, dict[str, Any]] = {s: {} for s in roster(course)}
    possible: dict[str, float] = {}
    with Gradebook(gradebook_url(course)) as gb:
        for name in names:
            try:
                possible[name] = float(gb.find_assignment(name).max_score)
            except MissingEntry:
                raise ValueError(
                    f"assignments: {name!r} is not in the gradebook (generate it first)"
                ) from None
            labels = _part_labels(course, name) if parts else {}
            for label, points in labels.values():
                possible[label] = points
            for sub in gb.assignment_submissions(name):
                row = rows.setdefault(sub.student_id, {})
                penalty = sum(nb.late_submission_penalty or 0.0 for nb in sub.notebooks)
                row[name] = float(sub.score) - penalty
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        column = labels.get(f"{nb.name}/{grade.name}")
                        if column:
                            row[column[0]] = row.get(column[0], 0.0) + float(grade.score)
    table = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=list(possible))
    return table.sort_index(), possible


def canvas_csv(course: Path, names: Sequence[str], path: Path, *, parts: bool = False) -> pd.DataFrame:
    """Write Canvas's gradebook import CSV to ``path``; return the student rows written."""
    import pandas as pd

    table, possible = scores(course, names, parts=parts)
    people = roster(course)
    ids = pd.DataFrame(
        [
            {
                "Student": ", ".join(x for x in (p.get("last_name"), p.get("first_name")) if x) or s,
                "ID": p.get("lms_user_id", ""),
                "SIS User ID": s,
                "SIS Login ID": p.get("email", ""),
                "Section": "",
            }
            for s, p in ((s, people.get(s, {})) for s in table.index)
        ],
        index=table.index,
    )
    body = pd.concat([ids, table], axis=1)
    points = pd.DataFrame([{"Student": "    Points Possible", **possible}], columns=body.columns)
    out = pd.concat([points, body], ignore_index=True)
    out.to_csv(path, index=False)
    return body.reset_index(drop=True)


def moodle_csv(course: Path, names: Sequence[str], path: Path, *, parts: bool = False) -> pd.DataFrame:
    """Write a Moodle grade import CSV (map users on "Email address") to ``path``; return it."""
    import pandas as pd

    table, _ = scores(course, names, parts=parts)
    people = roster(course)
    ids = pd.DataFrame(
        [
            {
                "First name": people.get(s, {}).get("first_name", ""),
                "Last name": people.get(s, {}).get("last_name", ""),
                "Email address": people.get(s, {}).get("email", ""),
                "ID number": s,
            }
            for s in table.index
        ],
        index=table.index,
    )
    out = pd.concat([ids, table], axis=1).reset_index(drop=True)
    out.to_csv(path, index=False)
    return out
