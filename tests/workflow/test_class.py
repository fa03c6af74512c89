"""A class of six for ps01_estimation, end to end (see ``classroom.py`` for who answered what):
both ways of collecting (the exchange's layout and ``zip_collect``, one Canvas download name), a due
date with one late student and one with an extension, manual grading that finishes and survives a
re-autograde, the release guard, feedback to everyone, per-part statistics checked against the
gradebook by plain SQL, a test fixed for the whole class, and LMS CSVs read back with pandas.

nbgrader's own commands run as subprocesses where the point is what they do with the course's
config (``zip_collect``, ``release_feedback``); the rest goes through ``sysdesign.cli.main`` in this
process, to keep the file under a few minutes on a busy machine.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from classroom import ANSWERS, DUE, SET, WRITTEN, build, notebook, run
from sysdesign.cli import main
from sysdesign.nbgrading import GradingError
from sysdesign.nbgrading.classgrade import autograde_class, grades_table
from sysdesign.nbgrading.release import release_feedback

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Object of type:Warning")]
STUDENTS = sorted(ANSWERS)
ROOT = Path(__file__).resolve().parents[2]
PENALTY = 10  # percent per started day, set in the class's nbgrader_config.py below


def cli(*args: str) -> str:
    """``sysdesign <args>`` in this process; its output (the exit status must be 0)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(list(args))
    assert status == 0, out.getvalue()
    return out.getvalue()


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    folder = build(tmp_path_factory.mktemp("class"), f"c.LatePenalty.percent_per_day = {PENALTY}")
    cli(
        "deadline",
        SET,
        "--course",
        str(folder),
        "--due",
        f"{DUE:%Y-%m-%d %H:%M} UTC",
        "--extend",
        "fay",
        "24",
    )
    done = autograde_class(SET, folder, STUDENTS)
    assert [g.problem for g in done] == [""] * 6
    return folder


def test_six_students_collected_two_ways_each_with_a_submission_time(course):
    for student in STUDENTS:
        folder = course / "submitted" / student / SET
        assert (folder / f"{SET}.ipynb").is_file(), student
        assert (folder / "timestamp.txt").read_text().strip(), student
    # eve came as "evanseve_LATE_4471_90211_ps01_estimation-1.ipynb": her roster entry has lms_user_id 4471
    assert not (course / "submitted" / "evanseve").exists()
    table = grades_table(course, SET).set_index("student")
    # 13 autograded points; part F (2 points) lost by ben, cat and dan (classroom.ANSWERS)
    assert table["autograded"].to_dict() == {s: 13 - 2 * ("F" in ANSWERS[s][1]) for s in STUDENTS}


def test_the_late_student_pays_the_penalty_and_the_extended_one_does_not(course):
    out = cli("deadline", SET, "--course", str(course))
    rows = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert set(rows) == set(STUDENTS)
    late = grades_table(course, SET).set_index("student")
    from sysdesign.nbgrading.deadlines import lateness

    when = lateness(course, SET).set_index("student")
    assert when.loc["cat", "late_h"] == pytest.approx(2.0)  # submitted 2 h after the due date
    # one started day at 10 % of the 11 points cat had when autograded (manual answers not yet graded)
    assert when.loc["cat", "penalty"] == pytest.approx(PENALTY / 100 * 11)
    assert when.loc["fay", "late_h"] == 0 and when.loc["fay", "penalty"] == 0  # 5 h late, 24 h extension
    assert when.loc["fay", "extension_h"] == 24
    assert (when.drop(index="cat")["penalty"] == 0).all()
    shown = cli("grades", SET, "--course", str(course))
    header = shown.splitlines()[0].split()
    assert header[-3:] == ["late_h", "penalty", "final"], header
    cat = next(line.split() for line in shown.splitlines() if line.split()[:1] == ["cat"])
    assert float(cat[-1]) == pytest.approx(late.loc["cat", "total"] - 1.1)


def test_release_refuses_while_written_answers_wait_and_force_says_so(course):
    refused = run(course, "release_feedback", SET, check=False)
    assert refused.returncode != 0
    text = refused.stdout + refused.stderr
    assert "6 written answers are not graded yet" in text
    assert all(f"{s}: {SET} Part J (answer-design" in text for s in STUDENTS)
    assert not list((course / ".exchange").rglob("*.html")), "nothing released"
    with pytest.raises(GradingError, match="not graded yet"):
        release_feedback(course, SET)
    forced = cli("release-feedback", SET, "--course", str(course), "--force")
    assert "FORCED: 6 written answers not graded yet" in forced


def test_manual_grading_lists_shows_scores_and_survives_a_regrade(course):
    listed = cli("manual", SET, "--course", str(course))
    assert listed.splitlines()[-1] == f"{SET}: 6 of 6 written answers waiting for a person"
    shown = cli("manual", SET, "ann", "answer-design", "--course", str(course))
    assert WRITTEN["ann"] in shown and "Grading guide (3 points)" in shown
    points = {"ann": 2, "ben": 1, "cat": 3, "dan": 2, "eve": 3, "fay": 1}
    for student, score in points.items():
        cli("manual", SET, student, "answer-design", "--score", str(score), "--course", str(course))
    assert cli("manual", SET, "--course", str(course)).splitlines()[-1].startswith(f"{SET}: 0 of 6")
    # dan changes his written answer and submits again; ann's is unchanged
    changed = notebook("dan")
    for c in changed["cells"]:
        if c["metadata"].get("nbgrader", {}).get("grade_id") == "answer-design":
            c["source"] = WRITTEN["dan"] + " Also: a cold tier for old photos."
    (course / "submitted" / "dan" / SET / f"{SET}.ipynb").write_text(json.dumps(changed), encoding="utf-8")
    autograde_class(SET, course, ["ann", "dan"])
    table = grades_table(course, SET).set_index("student")
    assert table.loc["ann", "manual"] == 2 and table.loc["ann", "total"] == 13 + 2
    assert pd.isna(table.loc["dan", "manual"]), "a changed answer waits for a person again"
    assert "dan" in cli("manual", SET, "--course", str(course))
    cli("manual", SET, "dan", "answer-design", "--score", "3", "--course", str(course))
    with pytest.raises(ValueError, match="points must be a number from 0 to 3"):
        from sysdesign.nbgrading.manual import score

        score(course, SET, "eve", "answer-design", 4)


def test_feedback_reaches_every_student_however_collected(course):
    # nbgrader's own command, with the course's config, on the pages of the forced release: it no
    # longer stops at the zip_collect students (no timestamp, no submission secret)
    run(course, "release_feedback", SET)
    released = list((course / ".exchange" / "sysdesign" / "feedback").glob("*.html"))
    assert len(released) == 4  # ann, ben, cat, fay: through the exchange (they hold a submission secret)
    out = cli("release-feedback", SET, "--course", str(course))
    assert "feedback released to 4 students: ann, ben, cat, fay" in out
    assert f"feedback/dan/{SET}/{SET}.html" in out and f"feedback/eve/{SET}/{SET}.html" in out
    page = (course / "feedback" / "eve" / SET / f"{SET}.html").read_text(encoding="utf-8")
    assert "BEGIN HIDDEN TESTS" not in page


def _independent_part_means(course: Path) -> dict[str, float]:
    """Mean points per part letter, from the gradebook's tables and the source's headings only."""
    src = json.loads((course / "solutions" / SET / f"{SET}.ipynb").read_text(encoding="utf-8"))
    letter_of, letter = {}, None
    for c in src["cells"]:
        text = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        m = re.match(r"## Part ([A-Z]):", text)
        letter = m.group(1) if m and c["cell_type"] == "markdown" else letter
        meta = c["metadata"].get("nbgrader", {})
        if meta.get("grade"):
            letter_of[meta["grade_id"]] = letter
    rows = sqlite3.connect(course / "gradebook.db").execute(
        "SELECT sa.student_id, bc.name, "
        "COALESCE(g.manual_score, g.auto_score, 0) + COALESCE(g.extra_credit, 0) FROM grade g "
        "JOIN base_cell bc ON g.cell_id = bc.id JOIN submitted_notebook sn ON g.notebook_id = sn.id "
        "JOIN submitted_assignment sa ON sn.assignment_id = sa.id"
    )
    per: dict[str, dict[str, float]] = {}
    for student, cell, points in rows:
        per.setdefault(letter_of[cell], {}).setdefault(student, 0.0)
        per[letter_of[cell]][student] += points
    return {k: sum(v.values()) / len(v) for k, v in per.items()}


def test_statistics_per_part_agree_with_the_gradebook(course, tmp_path):
    out = cli("stats", SET, "--course", str(course), "--csv", str(tmp_path / "parts.csv"))
    table = pd.read_csv(tmp_path / "parts.csv").set_index("part")
    expected = _independent_part_means(course)
    assert table["mean"].to_dict() == pytest.approx(expected)
    assert table.loc["F", "full_marks"] == pytest.approx(3 / 6)
    assert table.loc["F", "lost_by"].split() == ["ben", "cat", "dan"]
    assert "quick-math day" in table.loc["F", "common_failures"]  # ben's slip, named by check_close
    assert table.loc["J", "kind"] == "manual" and table.loc["J", "waiting"] == 0
    assert "F" in out and "50%" in out


def test_class_statistics_notebook_runs_on_this_class(course, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("SYSDESIGN_CLASS_COURSE", str(course))
    monkeypatch.setenv("SYSDESIGN_CLASS_SET", SET)
    nb = nbformat.read(ROOT / "instructor" / "class_statistics.ipynb", as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    text = json.dumps(nb)
    assert "Traceback" not in text
    assert (tmp_path / f"{SET}_parts.csv").is_file()


def test_a_test_fixed_in_solutions_regrades_everyone_and_keeps_manual_grades(course):
    source = course / "solutions" / SET / f"{SET}.ipynb"
    nb = json.loads(source.read_text(encoding="utf-8"))
    for c in nb["cells"]:
        if c["metadata"].get("nbgrader", {}).get("grade_id") == "test-egress":
            text = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            # The instructor accepts the 100,000 s quick-math day: 15 % instead of 5 %.
            c["source"] = "\n".join(
                line[:-1] + ", rel=0.15)" if "check_close(" in line and line.endswith(")") else line
                for line in text.split("\n")
            )
            assert text.count("check_close") == c["source"].count("rel=0.15")
    source.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    before = grades_table(course, SET).set_index("student")
    out = cli("regrade", SET, "--course", str(course))
    assert "regraded 6 submissions" in out and "1 scores changed" in out
    ben = next(line for line in out.splitlines() if line.split()[:1] == ["ben"])
    assert "Part F" in ben
    after = grades_table(course, SET).set_index("student")
    assert after.loc["ben", "total"] == before.loc["ben", "total"] + 2
    assert (after.drop(index="ben")["total"] == before.drop(index="ben")["total"]).all()
    assert after["manual"].notna().all(), "every written answer is still graded"
    assert "rel=0.15" in (course / "exercises" / SET / f"{SET}.ipynb").read_text(encoding="utf-8")


def test_lms_csvs_read_back_with_pandas(course, tmp_path):
    canvas, moodle = tmp_path / "canvas.csv", tmp_path / "moodle.csv"
    cli("lms", SET, "--course", str(course), "--canvas", str(canvas), "--moodle", str(moodle), "--parts")
    table = grades_table(course, SET).set_index("student")
    read = pd.read_csv(canvas, dtype={"ID": str})
    assert list(read.columns[:5]) == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert read.iloc[0]["Student"].strip() == "Points Possible" and read.iloc[0][SET] == 16
    rows = read.iloc[1:].set_index("SIS User ID")
    assert sorted(rows.index) == STUDENTS
    assert rows.loc["eve", "Student"] == "Evans, Eve" and rows.loc["eve", "ID"] == "4471"
    assert rows.loc["eve", "SIS Login ID"] == "eve@example.org"
    penalty = {
        "cat": PENALTY / 100 * table.loc["cat", "total"]
    }  # recomputed by the regrade, with manual points
    for student in STUDENTS:
        assert rows.loc[student, SET] == pytest.approx(table.loc[student, "total"] - penalty.get(student, 0))
        parts = [c for c in rows.columns if c.startswith(f"{SET} Part ")]
        assert len(parts) == 10 and rows.loc[student, parts].sum() == pytest.approx(
            table.loc[student, "total"]
        )
    m = pd.read_csv(moodle).set_index("ID number")
    assert m.loc["eve", "Email address"] == "eve@example.org"
    assert m[SET].to_dict() == pytest.approx(rows[SET].astype(float).to_dict())
