"""The ``sysdesign`` command: grade your own exercise notebook, list the problem sets; for instructors,
autograde a class with a progress bar, print the grades, audit submissions.

    sysdesign check exercises/ps01_estimation/ps01_estimation.ipynb   # score, per part, with hints
    sysdesign check my.ipynb --html feedback.html                       # ... and nbgrader's feedback page
    sysdesign check my.ipynb --reveal                                   # ... and model answers of parts tried
    sysdesign list                                                      # problem sets, parts, points
    sysdesign autograde ps01_estimation                                 # every submission, progress bar
    sysdesign autograde ps05_warmup --dask --workers 4                  # ... on Dask (local or a scheduler)
    sysdesign grades ps01_estimation --csv ps01.csv                     # one row per student
    sysdesign audit submitted/*/ps01_estimation/*.ipynb                 # lines that tamper with grading
    sysdesign reveal ps01_estimation                                    # model answers into feedback pages

``check`` grades a *copy* of the notebook in a temporary course folder (see
:mod:`sysdesign.nbgrading.check`). Exit status: 0 when every autograded test passes, 1 when some
fail, 2 when the file cannot be graded (not JSON, not an exercise notebook, unknown problem set,
course not found).

This module is argparse and printing only; the grading engine is :mod:`sysdesign.nbgrading`.
``sysdesign.cli.grading_rules`` stays importable: hub configs written before the engine moved
(``from sysdesign.cli import grading_rules``) still load.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sysdesign import cli_class
from sysdesign.nbgrading import GradingError, sandbox
from sysdesign.nbgrading.check import check
from sysdesign.nbgrading.classgrade import (
    already_graded,
    autograde_class,
    grades_table,
    instructor_course,
    submitted_students,
)
from sysdesign.nbgrading.course import assignments, course_root
from sysdesign.nbgrading.parts import cells, load_notebook, nbgrader_meta, parts, source
from sysdesign.nbgrading.patches import ensure_tools_on_path, skip_slow_imports
from sysdesign.nbgrading.report import Report

if TYPE_CHECKING:
    import pandas as pd


def __getattr__(name: str) -> Any:
    # Loaded on demand: the grading rules import nbgrader (2-3 s), which `sysdesign list` never needs.
    if name == "grading_rules":
        from sysdesign.nbgrading.config import grading_rules

        return grading_rules
    raise AttributeError(f"module 'sysdesign.cli' has no attribute {name!r}")


def _num(x: float) -> str:
    return f"{x:g}"


def print_report(report: Report, path: Path, seconds: float, out: Any) -> None:
    """Print a checked notebook's score per part, the failing tests' messages and the total."""
    print(f"{report.assignment}: {path}", file=out)
    width = max((len(p.part.title) for p in report.parts), default=10) + 2
    for p in report.parts:
        label = f"Part {p.part.letter}  {p.part.title:<{width}}"
        if p.score is None:
            print(f"  {label} manual / {_num(p.max_score)}  (graded by a person)", file=out)
            continue
        mark = "ok" if p.score >= p.max_score else "--"
        print(f"  {label} {_num(p.score):>6} / {_num(p.max_score)}  {mark}", file=out)
        for message in p.messages:
            print(f"      {message}", file=out)
    line = f"  Total (autograded) {_num(report.auto_score)} / {_num(report.auto_max)}"
    if report.manual_max:
        line += f"; {_num(report.manual_max)} more points are graded by a person"
    print(line, file=out)
    print(f"  (graded a copy in {seconds:.1f} s; your notebook was not changed)", file=out)


def check_command(
    path: Path, *, timeout: int | None = None, html: Path | None = None, reveal: bool = False, out: Any = None
) -> Report:
    """``sysdesign check``: grade a copy of ``path`` and print the report (and where the page went).

    With ``reveal``, also print the model answer of each part attempted or passed (and, for a part
    graded by a person, its grading guide); see :mod:`sysdesign.nbgrading.reveal`.
    """
    out = out or sys.stdout
    start = time.perf_counter()
    seen = len(sandbox.UNSANDBOXED)
    report = check(path, timeout=timeout, html=html)
    print_report(report, path, time.perf_counter() - start, out)
    if len(sandbox.UNSANDBOXED) > seen:
        print("  " + sandbox.LEARNER_NOTE.format(why=sandbox.UNSANDBOXED[-1]), file=out)
    if html is not None:
        print(f"  feedback page: {html}", file=out)
    if reveal:
        from sysdesign.nbgrading.course import identify
        from sysdesign.nbgrading.reveal import reveal_text, revealed

        root = course_root()
        _name, stem = identify(load_notebook(path), path, root)
        print(reveal_text(revealed(path, report, root, stem), len(report.parts)), file=out)
    return report


def list_sets(out: Any = None) -> None:
    """Print every problem set with its parts and points."""
    out = out or sys.stdout
    for name, notebooks in assignments(course_root()).items():
        for notebook in notebooks:
            found = parts(json.loads(notebook.read_text(encoding="utf-8")))
            auto = sum(p.points for p in found if p.tests)
            manual = sum(p.points for p in found if not p.tests)
            print(
                f"{name}/{notebook.stem}.ipynb  ({_num(auto)} autograded + {_num(manual)} manual points)",
                file=out,
            )
            width = max(len(p.title) for p in found) + 1
            for p in found:
                kind = f"manual: {', '.join(p.manual)}" if not p.tests else "auto"  # the cells to grade
                print(f"  Part {p.letter}  {p.title:<{width}} {_num(p.points):>3} {kind}", file=out)


def audit(paths: Sequence[Path], out: Any = None) -> int:
    """Print the lines of unlocked cells that tamper with grading; return how many were found."""
    from sysdesign.grading import audit_source

    out = out or sys.stdout
    hits = 0
    for path in paths:
        code = [
            (index, source(cell))
            for index, cell in enumerate(cells(load_notebook(path)))
            if cell.get("cell_type") == "code" and not nbgrader_meta(cell).get("locked")
        ]
        # The whole notebook at once: an alias made in one cell (import ... as g) and used in another.
        flagged = set(audit_source("\n".join(text for _, text in code)))
        for index, text in code:
            for line in (line.strip() for line in text.splitlines()):
                if line in flagged:
                    hits += 1
                    print(f"{path}: cell {index}: {line}", file=out)
    if not hits:
        print(f"audit: {len(paths)} notebooks, nothing that tampers with grading", file=out)
    return hits


def print_grades(course: Path, name: str, csv: Path | None = None, out: Any = None) -> pd.DataFrame:
    """Print the grades table of ``name`` (and write it to ``csv``); return it."""
    from sysdesign.nbgrading.deadlines import with_lateness

    out = out or sys.stdout
    table = with_lateness(course, name, grades_table(course, name))  # late_h, penalty, final: with a due date
    if table.empty:
        print(f"{name}: no submissions graded yet", file=out)
        return table
    print(table.to_string(index=False, na_rep="waiting", float_format=lambda x: f"{x:g}"), file=out)
    if csv is not None:
        table.to_csv(csv, index=False)
        print(f"written to {csv}", file=out)
    return table


def autograde_all(
    name: str,
    course: Path,
    students: Sequence[str] = (),
    *,
    timeout: int | None = None,
    jobs: int = 1,
    dask: str | None = None,
    workers: int = 2,
    force: bool = False,
    out: Any = None,
) -> pd.DataFrame:
    """``sysdesign autograde``: every submission of ``name`` (or ``students``) with a progress bar.

    ``dask``: ``None`` grades in ``jobs`` local processes, ``""`` on a local Dask cluster of
    ``workers`` processes, an address on that Dask scheduler. Students already graded are skipped
    unless ``force``. Prints the notebooks graded under their expected name, the submissions that
    could not be graded with the reason, a summary, and the grades table, which it returns.
    """
    from tqdm import tqdm

    out = out or sys.stdout
    chosen = submitted_students(course, name, students)
    skipped = [] if force else [s for s in chosen if already_graded(course, name, s)]
    pending = [s for s in chosen if s not in skipped]
    if skipped:
        print(f"skipped {len(skipped)} already graded (--force grades them again)", file=out)
    start = time.perf_counter()
    done = []
    if pending:
        with tqdm(total=len(pending), desc=f"autograde {name}", unit="student", file=sys.stdout) as bar:
            if dask is None:
                done = autograde_class(
                    name, course, pending, timeout=timeout, jobs=jobs, progress=lambda _: bar.update()
                )
            else:
                from sysdesign.nbgrading.dask import autograde_class_dask

                done = autograde_class_dask(
                    name,
                    course,
                    pending,
                    address=dask or None,
                    workers=workers,
                    timeout=timeout,
                    progress=lambda _: bar.update(),
                    announce=bar.write,
                )
    seconds = time.perf_counter() - start
    for graded in done:
        if graded.notes:
            print(graded.notes, file=out)
    failed = [graded for graded in done if graded.problem]
    for graded in failed:
        print(f"NOT GRADED {graded.student}: {graded.problem}", file=out)
    notebooks = len(pending) * len(assignments(course).get(name, []))
    per = f", {seconds / notebooks:.2f} s per notebook" if notebooks else ""
    cpu = sum(graded.cpu for graded in done)
    if notebooks and cpu:
        per += f" ({cpu / notebooks:.2f} CPU s per notebook on the workers)"
    print(
        f"graded {len(pending) - len(failed)} of {len(pending)} submissions in {seconds:.1f} s{per}",
        file=out,
    )
    return print_grades(course, name, out=out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sysdesign", description="System design course tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="grade a copy of your exercise notebook (the file is not changed)")
    p_check.add_argument("notebook", type=Path)
    p_check.add_argument(
        "--timeout", type=int, default=None, help="seconds per cell (default: nbgrader_config.py)"
    )
    p_check.add_argument("--html", type=Path, default=None, help="also write the feedback page to this file")
    p_check.add_argument(
        "--reveal",
        action="store_true",
        help="also show the model answers of the parts you attempted or passed",
    )
    sub.add_parser("list", help="list the problem sets with their parts and points")
    p_grade = sub.add_parser(
        "autograde", help="autograde every submission of a problem set with a progress bar (instructors)"
    )
    p_grade.add_argument("assignment")
    p_grade.add_argument("students", nargs="*", help="only these students (default: every submission)")
    p_grade.add_argument(
        "--course", type=Path, default=None, help="course folder (default: here or the repo)"
    )
    p_grade.add_argument("--timeout", type=int, default=None, help="seconds per cell")
    p_grade.add_argument(
        "--jobs", type=int, default=1, help="grading processes side by side (default 1; one per core at most)"
    )
    p_grade.add_argument(
        "--dask",
        nargs="?",
        const="",
        default=None,
        metavar="ADDRESS",
        help="grade on Dask distributed: the scheduler at ADDRESS, or a local cluster (needs distributed)",
    )
    p_grade.add_argument(
        "--workers", type=int, default=2, help="worker processes of the local Dask cluster (default 2)"
    )
    p_grade.add_argument("--force", action="store_true", help="grade again students already graded")
    p_grades = sub.add_parser("grades", help="print a problem set's grades per student (instructors)")
    p_grades.add_argument("assignment")
    p_grades.add_argument(
        "--course", type=Path, default=None, help="course folder (default: here or the repo)"
    )
    p_grades.add_argument("--csv", type=Path, default=None, help="also write the table to this CSV file")
    p_audit = sub.add_parser("audit", help="show lines of submissions that tamper with grading (instructors)")
    p_audit.add_argument("notebooks", type=Path, nargs="+")
    p_reveal = sub.add_parser(
        "reveal",
        help="add model answers of the parts each student attempted to their feedback pages (instructors)",
    )
    p_reveal.add_argument("assignment")
    p_reveal.add_argument(
        "--course", type=Path, default=None, help="course folder (default: here or the repo)"
    )
    cli_class.register(sub)  # manual, release-feedback, regrade, stats, similar, deadline, lms
    args = parser.parse_args(argv)
    ensure_tools_on_path()
    skip_slow_imports()
    try:
        if args.command == "check":
            report = check_command(args.notebook, timeout=args.timeout, html=args.html, reveal=args.reveal)
            return 0 if report.auto_score >= report.auto_max else 1
        if args.command == "list":
            list_sets()
            return 0
        if args.command == "autograde":
            autograde_all(
                args.assignment,
                instructor_course(args.course),
                args.students,
                timeout=args.timeout,
                jobs=args.jobs,
                dask=args.dask,
                workers=args.workers,
                force=args.force,
            )
            return 0
        if args.command == "grades":
            print_grades(instructor_course(args.course), args.assignment, args.csv)
            return 0
        if args.command == "audit":
            return 1 if audit(args.notebooks) else 0
        if args.command == "reveal":
            from sysdesign.nbgrading.reveal import write_model_answers

            pages = write_model_answers(instructor_course(args.course), args.assignment, course_root())
            for page in pages:
                print(page)
            print(
                f"added model answers to {len(pages)} feedback pages; "
                f"`nbgrader release_feedback {args.assignment}` returns them"
            )
            return 0
        if args.command in cli_class.COMMANDS:
            return cli_class.run(args)
    except GradingError as exc:
        print(f"sysdesign {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and cut short
        sys.stderr.close()
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
