"""The ``sysdesign`` subcommands for running a class (argparse and printing only; the work is done in
:mod:`sysdesign.nbgrading`):

    sysdesign manual ps01_estimation                          # written answers still waiting
    sysdesign manual ps01_estimation ann answer-design        # her answer beside the model answer
    sysdesign manual ps01_estimation ann answer-design --score 2 --comment "CDN: yes; tiering: no"
    sysdesign release-feedback ps01_estimation [--force]     # generate + release, refuses while answers wait
    sysdesign regrade ps01_estimation                         # after fixing a test: everyone again
    sysdesign stats ps01_estimation [--csv parts.csv]         # per part: mean, full marks, failures
    sysdesign similar ps01_estimation                         # pairs of near-identical answers (flags only)
    sysdesign deadline ps01_estimation --due "2026-12-01 17:00 UTC" --extend ann 48
    sysdesign lms ps01_estimation ps02_requirements_api --canvas canvas.csv --moodle moodle.csv --parts
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

COMMANDS = ("manual", "release-feedback", "regrade", "stats", "similar", "deadline", "lms")


def _course_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--course", type=Path, default=None, help="course folder (default: here or the repo)")


def register(sub: Any) -> None:
    """Add the class subcommands to the ``sysdesign`` parser's subparsers ``sub``."""
    p = sub.add_parser("manual", help="written answers: list those waiting, show one, score it (instructors)")
    p.add_argument("assignment")
    p.add_argument("student", nargs="?")
    p.add_argument(
        "grade_id",
        nargs="?",
        help="the answer cell, e.g. answer-design or p01_url_shortener/answer-tradeoffs",
    )
    p.add_argument("--score", type=float, default=None, help="points for this answer (marks it graded)")
    p.add_argument("--comment", default=None, help="a comment the student sees in the feedback")
    _course_option(p)
    p = sub.add_parser(
        "release-feedback", help="generate and release feedback to every student (instructors)"
    )
    p.add_argument("assignment")
    p.add_argument("--force", action="store_true", help="release even while written answers wait")
    _course_option(p)
    p = sub.add_parser("regrade", help="regenerate a set from solutions/ and regrade everyone (instructors)")
    p.add_argument("assignment")
    p.add_argument("--jobs", type=int, default=1, help="grading processes side by side")
    _course_option(p)
    p = sub.add_parser("stats", help="per part of a set: mean, full marks, failures, who lost it")
    p.add_argument("assignment")
    p.add_argument("--csv", type=Path, default=None, help="also write the table to this CSV file")
    _course_option(p)
    p = sub.add_parser(
        "similar", help="pairs of submissions with near-identical answers (flags, no deduction)"
    )
    p.add_argument("assignment")
    p.add_argument("--threshold", type=float, default=None, help="similarity from 0 to 1 that is flagged")
    p.add_argument("--side-by-side", action="store_true", help="print the flagged cells side by side")
    _course_option(p)
    p = sub.add_parser("deadline", help="due date, extensions and lateness of a set (instructors)")
    p.add_argument("assignment")
    p.add_argument("--due", default=None, help='due date, e.g. "2026-12-01 17:00 UTC"')
    p.add_argument("--extend", nargs=2, metavar=("STUDENT", "HOURS"), action="append", default=[])
    _course_option(p)
    p = sub.add_parser("lms", help="grades as a CSV for Canvas's or Moodle's gradebook import")
    p.add_argument("assignments", nargs="+")
    p.add_argument("--canvas", type=Path, default=None, help="write Canvas's gradebook CSV here")
    p.add_argument("--moodle", type=Path, default=None, help="write Moodle's grade import CSV here")
    p.add_argument("--parts", action="store_true", help="also one column per part")
    _course_option(p)


def run(args: argparse.Namespace, out: Any = None) -> int:
    """Run one class subcommand; return the exit status."""
    from sysdesign.nbgrading import GradingError
    from sysdesign.nbgrading.classgrade import instructor_course

    out = out or sys.stdout
    course = instructor_course(args.course)
    try:
        return int(globals()["_" + args.command.replace("-", "_")](args, course, out))
    except ValueError as exc:  # a bad value on the command line: one line, like a GradingError
        raise GradingError(str(exc)) from None


def _manual(args: argparse.Namespace, course: Path, out: Any) -> int:
    from sysdesign.nbgrading import manual

    name = args.assignment
    if args.student is None or args.grade_id is None:
        answers = manual.manual_answers(course, name)
        left = [a for a in answers if a.waiting]
        for a in left:
            print(
                f"{a.student:<16} {a.notebook}/{a.grade_id}  Part {a.part.letter}  ({a.max_score:g} points)",
                file=out,
            )
        print(f"{name}: {len(left)} of {len(answers)} written answers waiting for a person", file=out)
        return 0
    if args.score is not None:
        a = manual.score(course, name, args.student, args.grade_id, args.score, args.comment)
        print(f"{a.student} {a.notebook}/{a.grade_id}: {a.score:g} / {a.max_score:g} (graded)", file=out)
        return 0
    shown = manual.show(course, name, args.student, args.grade_id)
    print(shown["where"], file=out)
    print("\n--- answer ---\n" + (shown["answer"] or "(empty)"), file=out)
    print("\n--- model answer and grading guide ---\n" + shown["model"], file=out)
    print(f"\nscore it: sysdesign manual {name} {args.student} {args.grade_id} --score N", file=out)
    return 0


def _release_feedback(args: argparse.Namespace, course: Path, out: Any) -> int:
    from sysdesign.nbgrading.release import release_feedback

    done = release_feedback(course, args.assignment, force=args.force)
    if done["timestamps_added"]:
        print(f"added a submission time to: {', '.join(done['timestamps_added'])}", file=out)
    if done["waiting"]:
        print(f"FORCED: {len(done['waiting'])} written answers not graded yet:", file=out)
        for line in done["waiting"]:
            print(f"  {line}", file=out)
    print(f"feedback released to {len(done['released'])} students: {', '.join(done['released'])}", file=out)
    if done["by_hand"]:
        print(
            f"{len(done['by_hand'])} pages of students collected with zip_collect, to send yourself:",
            file=out,
        )
        for page in done["by_hand"]:
            print(f"  {page}", file=out)
    return 0


def _regrade(args: argparse.Namespace, course: Path, out: Any) -> int:
    from sysdesign.nbgrading.regrade import regrade

    changes, done = regrade(course, args.assignment, jobs=args.jobs)
    for graded in done:
        if graded.problem:
            print(f"NOT GRADED {graded.student}: {graded.problem}", file=out)
    for c in changes:
        old = "-" if c.before is None else f"{c.before:g}"
        new = "-" if c.after is None else f"{c.after:g}"
        print(f"{c.student:<16} {old:>6} -> {new:<6} {', '.join(c.parts)}", file=out)
    print(f"regraded {len(done)} submissions of {args.assignment}; {len(changes)} scores changed", file=out)
    return 0


def _stats(args: argparse.Namespace, course: Path, out: Any) -> int:
    from sysdesign.nbgrading.stats import stats_table

    table = stats_table(course, args.assignment)
    shown = table.assign(
        common_failures=table["common_failures"].str.slice(0, 90),
        full_marks=(table["full_marks"] * 100).round().astype("Int64").astype(str) + "%",
    )
    print(
        shown.drop(columns=["title"]).to_string(index=False, na_rep="-", float_format=lambda x: f"{x:.2f}"),
        file=out,
    )
    if args.csv is not None:
        table.to_csv(args.csv, index=False)
        print(f"written to {args.csv}", file=out)
    return 0


def _deadline(args: argparse.Namespace, course: Path, out: Any) -> int:
    from sysdesign.nbgrading import deadlines

    if args.due is not None:
        due = deadlines.set_due(course, args.assignment, args.due)
        print(f"{args.assignment} is due {due:%Y-%m-%d %H:%M} UTC", file=out)
    for student, hours in args.extend:
        try:
            extra = deadlines.extend(course, args.assignment, student, float(hours))
        except ValueError:
            raise ValueError(
                f"--extend {student} HOURS: hours must be a number from 0 to 8760, got {hours!r}"
            ) from None
        print(f"{student}: {extra.total_seconds() / 3600:g} h more", file=out)
    late = deadlines.lateness(course, args.assignment)
    if late.empty:
        print(f"{args.assignment}: no due date (set one with --due)", file=out)
    else:
        print(late.to_string(index=False, float_format=lambda x: f"{x:.1f}"), file=out)
    if args.due is not None or args.extend:
        print("autograde again (sysdesign regrade) to apply penalties to collected submissions", file=out)
    return 0


def _similar(args: argparse.Namespace, course: Path, out: Any) -> int:
    from sysdesign.nbgrading import similarity

    threshold = similarity.THRESHOLD if args.threshold is None else args.threshold
    pairs = similarity.similar_pairs(course, args.assignment, threshold)
    for p in pairs:
        same = f"; identical: {', '.join(p.identical)}" if p.identical else ""
        print(
            f"{p.a} ~ {p.b}  {p.notebook}  {p.similarity:.0%} alike over {len(p.cells)} answers{same}",
            file=out,
        )
        if args.side_by_side:
            for grade_id in p.identical or p.cells:
                print(similarity.side_by_side(course, args.assignment, p, grade_id), file=out)
    print(
        f"{args.assignment}: {len(pairs)} pairs at least {threshold:.0%} alike (flags only: read them)",
        file=out,
    )
    return 0


def _lms(args: argparse.Namespace, course: Path, out: Any) -> int:
    from sysdesign.nbgrading import lms

    if args.canvas is None and args.moodle is None:
        raise ValueError("lms: give --canvas FILE and/or --moodle FILE")
    for path, write in ((args.canvas, lms.canvas_csv), (args.moodle, lms.moodle_csv)):
        if path is not None:
            rows = write(course, args.assignments, path, parts=args.parts)
            print(f"written {len(rows)} students to {path}", file=out)
    return 0
