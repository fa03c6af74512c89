"""Releasing feedback: to every student, however their work was collected, and never while a written
answer still waits for a person (unless the instructor says ``--force``).

:class:`GuardedReleaseFeedback` is the course's ``ExchangeFactory.release_feedback`` (set by
:func:`~sysdesign.nbgrading.config.grading_rules`), so ``nbgrader release_feedback <set>``, the
Formgrader's button and ``sysdesign release-feedback`` all behave alike: they give a feedback
folder without ``timestamp.txt`` one (a submission collected before the collector added it), then
refuse, naming the answers still waiting, unless ``--GuardedReleaseFeedback.force=True``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback
from traitlets import Bool

from sysdesign.nbgrading import GradingError
from sysdesign.nbgrading.collect import add_timestamps


def waiting_lines(
    course: Path, name: str, students: list[str] | None = None, db_url: str | None = None
) -> list[str]:
    """One line per written answer of ``name`` that waits for a person (of ``students`` only, if given)."""
    from sysdesign.nbgrading.manual import waiting

    return [
        f"{a.student}: {a.notebook} Part {a.part.letter} ({a.grade_id}, {a.max_score:g} points)"
        for a in waiting(course, name, db_url)
        if students is None or a.student in students
    ]


class GuardedReleaseFeedback(ExchangeReleaseFeedback):  # type: ignore[misc]
    """nbgrader's release_feedback that adds missing timestamps and refuses while answers wait."""

    force = Bool(False, help="release even while written answers wait for a person").tag(config=True)

    def copy_files(self) -> None:
        course = Path(self.coursedir.root)
        name = self.coursedir.assignment_id
        add_timestamps(course, name)
        students = [self.coursedir.student_id] if self.coursedir.student_id not in ("", "*") else None
        known = (course / "solutions" / name).is_dir()
        missing = waiting_lines(course, name, students, self.coursedir.db_url) if known else []
        if missing and not self.force:
            self.fail(
                f"not releasing feedback for {name}: {len(missing)} written answers are not graded yet "
                "(a page would show 0 for them):\n  " + "\n  ".join(missing) + "\nGrade them "
                "(sysdesign manual), or release anyway with --GuardedReleaseFeedback.force=True "
                "(sysdesign release-feedback --force)."
            )
        if missing:
            self.log.warning(
                "releasing feedback with %d written answers not graded yet (forced)", len(missing)
            )
        by_hand = outside_exchange(course, name)
        if by_hand:  # collected with zip_collect: no exchange secret, so no way to fetch from the exchange
            self.log.warning("not through the exchange (send these pages yourself): %s", ", ".join(by_hand))
        saved = self.coursedir.student_id_exclude
        self.coursedir.student_id_exclude = ",".join(filter(None, [saved, *by_hand]))
        try:
            super().copy_files()
        finally:
            self.coursedir.student_id_exclude = saved


def outside_exchange(course: Path, name: str) -> list[str]:
    """Students whose feedback of ``name`` cannot go through the exchange: their work was not
    submitted there (``zip_collect``), so there is no ``submission_secret.txt`` to address it with.
    Their pages stay in ``feedback/<student>/<name>/`` for the instructor to upload to the LMS."""
    return sorted(
        p.parent.name
        for p in (course / "feedback").glob(f"*/{name}")
        if p.is_dir() and not (p / "submission_secret.txt").exists()
    )


def release_feedback(course: Path, name: str, *, force: bool = False) -> dict[str, Any]:
    """Generate and release the feedback of problem set ``name`` for every graded student.

    Returns ``{"released": [students, through the exchange], "by_hand": [feedback pages of students
    collected with zip_collect, to upload to the LMS], "waiting": [answers not graded, when forced],
    "timestamps_added": [students]}``; raises :class:`GradingError` naming the answers still
    waiting unless ``force``.
    """
    from sysdesign.nbgrading.course import TempCourse, quiet_stderr

    missing = waiting_lines(course, name)
    if missing and not force:
        raise GradingError(
            f"not releasing feedback for {name}: {len(missing)} written answers are not graded yet:\n  "
            + "\n  ".join(missing)
            + "\ngrade them with `sysdesign manual`, or add --force to release anyway"
        )
    fixed = add_timestamps(course, name)
    tc = TempCourse([], root=course, folder=course)
    tc.config.GuardedReleaseFeedback.force = True  # checked above
    exchange = _exchange_root(course)
    exchange.mkdir(parents=True, exist_ok=True)  # nbgrader refuses a missing exchange as "unwritable"
    tc.config.Exchange.root = str(exchange)
    with quiet_stderr():
        for step in ("generate_feedback", "release_feedback"):
            result = getattr(tc.api, step)(name)
            if not result.get("success"):
                log = (result.get("error") or result.get("log") or "").strip().splitlines()
                raise GradingError(f"nbgrader {step} {name} failed: {log[-1] if log else 'no details'}")
    fixed += add_timestamps(course, name)
    by_hand = outside_exchange(course, name)
    pages = sorted((course / "feedback").glob(f"*/{name}/*.html"))
    released = sorted({p.parent.parent.name for p in pages} - set(by_hand))
    return {
        "released": released,
        "by_hand": [str(p) for p in pages if p.parent.parent.name in by_hand],
        "waiting": missing,
        "timestamps_added": sorted(set(fixed)),
    }


def _exchange_root(course: Path) -> Path:
    """The exchange folder the course's ``nbgrader_config.py`` names (default: ``<course>/.exchange``)."""
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    root = cfg.Exchange.root if "root" in cfg.Exchange else ""
    return Path(root) if root else course / ".exchange"
