"""Collecting files downloaded from a learning-management system (``nbgrader zip_collect``) so that
every submission has a timestamp and a student id, whatever the way it came in.

:class:`TimestampedCollector` is the course's ``ZipCollectApp.collector_plugin`` (set by
:func:`~sysdesign.nbgrading.config.grading_rules`). It reads two kinds of names:

- ``<student>_<notebook>.ipynb`` (``alice_ps01_estimation.ipynb``), nbgrader's own rule with the
  course's ``FileNameCollectorPlugin.named_regexp``;
- Canvas's "Download submissions" names, ``<lastfirst>[_LATE]_<user id>_<submission id>_<file>``
  with ``-1``, ``-2`` added to files submitted again (``smithjane_LATE_4471_90211_ps01_estimation-1.ipynb``):
  the student is the roster entry whose ``lms_user_id`` is the Canvas user id
  (``nbgrader db student add ... --lms-user-id``), else ``<lastfirst>``.

A file whose name carries no time gets the file's modification time (UTC) as its submission
time: nbgrader writes no ``timestamp.txt`` without one, and ``release_feedback`` then fails for
the whole class (``FileNotFoundError: feedback/<student>/<set>/timestamp.txt``).
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from typing import Any

from nbgrader.plugins import FileNameCollectorPlugin

CANVAS = re.compile(
    r".*/(?P<name>[a-z]+)_(?P<late>LATE_)?(?P<lms_id>\d+)_(?P<submission>\d+)_(?P<file>[^/]+?)(?:-\d+)?(?P<ext>\.ipynb)$"
)


def file_time(path: str | Path) -> str:
    """A file's modification time as an ISO 8601 UTC timestamp (nbgrader's timestamp format)."""
    moment = datetime.datetime.fromtimestamp(os.path.getmtime(path), tz=datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f UTC")


class TimestampedCollector(FileNameCollectorPlugin):  # type: ignore[misc]
    """nbgrader's file-name collector that also reads Canvas names and always gives a timestamp."""

    _roster: dict[str, str] | None = None

    def lms_students(self) -> dict[str, str]:
        """LMS user id -> nbgrader student id, from the course's gradebook roster."""
        if self._roster is None:
            self._roster = {}
            db_url = getattr(getattr(self.parent, "coursedir", None), "db_url", "")
            if db_url:
                from nbgrader.api import Gradebook

                with Gradebook(db_url) as gb:
                    self._roster = {s.lms_user_id: s.id for s in gb.students if s.lms_user_id}
        return self._roster

    def collect(self, submitted_file: str) -> dict[str, Any] | None:
        canvas = CANVAS.match(submitted_file)
        if canvas:
            found: dict[str, Any] | None = {
                "student_id": self.lms_students().get(canvas["lms_id"], canvas["name"]),
                "file_id": canvas["file"] + canvas["ext"],
            }
        else:
            found = super().collect(submitted_file)
        if found is not None and not found.get("timestamp"):
            found["timestamp"] = file_time(submitted_file)
        return found


def missing_timestamps(course: Path, name: str, folder: str = "submitted") -> list[Path]:
    """Each ``<folder>/<student>/<name>/`` of the course that has no ``timestamp.txt``."""
    return sorted(
        p for p in (course / folder).glob(f"*/{name}") if p.is_dir() and not (p / "timestamp.txt").exists()
    )


def add_timestamps(course: Path, name: str) -> list[str]:
    """Give every submission (and feedback folder) of ``name`` without a ``timestamp.txt`` one: the
    time of its newest notebook. Returns the students who got one (collected before this fix)."""
    fixed = []
    for folder in ("submitted", "feedback"):
        for path in missing_timestamps(course, name, folder):
            notebooks = list(path.glob("*.ipynb")) or list(path.glob("*.html"))
            newest = max(notebooks, key=os.path.getmtime) if notebooks else path
            (path / "timestamp.txt").write_text(file_time(newest), encoding="utf-8")
            fixed.append(path.parent.name)
    return sorted(set(fixed))
