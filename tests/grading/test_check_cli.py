"""`sysdesign check`: grades a copy of the learner's notebook, prints each part, never touches the file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from ps01_variants import SET, filled
from sysdesign import cli
from sysdesign.nbgrading.course import assignments, course_root, identify
from sysdesign.nbgrading.parts import load_notebook

ROOT = Path(__file__).resolve().parents[2]
SYSDESIGN = Path(sys.executable).parent / "sysdesign"


def bare_env(**extra: str) -> dict[str, str]:
    """An environment without the virtual environment on PATH, as in a fresh terminal."""
    keep = {
        k: v for k, v in os.environ.items() if k.startswith(("JUPYTER_", "IPYTHONDIR", "HOME", "LANG", "TMP"))
    }
    return {**keep, "PATH": "/usr/bin:/bin", **extra}


@pytest.mark.slow
def test_check_scores_a_filled_in_notebook_at_full_marks(tmp_path):
    mine = tmp_path / "my answers.ipynb"
    mine.write_text(json.dumps(filled(), indent=1) + "\n", encoding="utf-8")
    before = mine.read_bytes()
    run = subprocess.run(
        [str(SYSDESIGN), "check", str(mine), "--timeout", "20"],
        capture_output=True,
        text=True,
        env=bare_env(),
        cwd=tmp_path,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    for letter, points in zip("ABCDEFGHI", [1, 1, 1, 2, 1, 2, 1, 2, 2], strict=True):
        assert any(
            line.strip().startswith(f"Part {letter} ") and f"{points} / {points}  ok" in line
            for line in lines
        )
    assert any("Part J" in line and "manual / 3" in line for line in lines)
    assert "Total (autograded) 13 / 13" in run.stdout
    assert run.stderr == "", "kernel and database warnings stay out of the learner's terminal"
    assert mine.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my answers.ipynb"], "nothing written next to it"


def one_line_error(capsys, argv: list[str]) -> str:
    code = cli.main(argv)
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1, captured.err
    return captured.err.strip()


def test_a_file_that_is_not_json_gets_a_one_line_error(tmp_path, capsys):
    bad = tmp_path / "notes.ipynb"
    bad.write_text("this is not a notebook\n", encoding="utf-8")
    before = bad.read_bytes()
    message = one_line_error(capsys, ["check", str(bad)])
    assert message.startswith("sysdesign check: error:") and "not JSON" in message
    assert bad.read_bytes() == before


def test_a_notebook_that_is_not_an_exercise_gets_a_one_line_error(tmp_path, capsys):
    plain = tmp_path / "lesson.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), plain)
    before = plain.read_bytes()
    message = one_line_error(capsys, ["check", str(plain)])
    assert "not an exercise notebook" in message
    assert plain.read_bytes() == before


def test_an_unknown_problem_set_gets_a_one_line_error(tmp_path, capsys):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    nb.cells[0].metadata["nbgrader"] = {
        "grade": True,
        "grade_id": "elsewhere",
        "points": 1,
        "solution": False,
    }
    other = tmp_path / "other.ipynb"
    nbformat.write(nb, other)
    message = one_line_error(capsys, ["check", str(other)])
    assert "does not belong to a known problem set" in message and SET in message


def test_json_that_is_not_a_notebook_and_a_missing_file(tmp_path, capsys):
    data = tmp_path / "data.ipynb"
    data.write_text('{"a": 1}', encoding="utf-8")
    assert "not a Jupyter notebook" in one_line_error(capsys, ["check", str(data)])
    assert "no such file" in one_line_error(capsys, ["check", str(tmp_path / "missing.ipynb")])


def test_a_missing_course_folder_is_explained(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SYSDESIGN_COURSE_ROOT", str(tmp_path))
    nb = tmp_path / "x.ipynb"
    nb.write_text(json.dumps(filled()), encoding="utf-8")
    message = one_line_error(capsys, ["check", str(nb)])
    assert "cannot find the course folder" in message and "SYSDESIGN_COURSE_ROOT" in message


def test_list_prints_each_problem_set_with_parts_and_points(capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert f"{SET}/{SET}.ipynb  (13 autograded + 3 manual points)" in out
    assert "Part A  Average upload rate" in out and "Part J  What the numbers tell you" in out


def test_audit_flags_lines_that_tamper_with_grading(tmp_path, capsys):
    nb = filled()
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "answer-peak-qps":
            cell["source"] = "grading.check_close = lambda *a, **k: None\n" + "".join(cell["source"])
    path = tmp_path / "sub.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert cli.main(["audit", str(path)]) == 1
    assert "grading.check_close = lambda *a, **k: None" in capsys.readouterr().out
    clean = tmp_path / "clean.ipynb"
    clean.write_text(json.dumps(filled()), encoding="utf-8")
    assert cli.main(["audit", str(clean)]) == 0


def test_the_course_folder_is_found_next_to_the_package(monkeypatch):
    monkeypatch.delenv("SYSDESIGN_COURSE_ROOT", raising=False)
    assert course_root() == ROOT
    assert list(assignments()) == sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir())


EXERCISES = sorted((ROOT / "exercises").glob("*/*.ipynb"))


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.stem)
def test_check_recognises_every_exercise_notebook_even_under_another_name(path, tmp_path):
    copy = tmp_path / "downloaded (3).ipynb"
    copy.write_bytes(path.read_bytes())
    assert identify(load_notebook(copy), copy, ROOT) == (path.parent.name, path.stem)


@pytest.mark.slow
def test_check_writes_the_feedback_page_for_a_practice_problem(tmp_path, capsys):
    release = ROOT / "exercises" / "ps05_warmup" / "p03_rate_limiter.ipynb"
    mine = tmp_path / "rate limiter.ipynb"
    before = release.read_bytes()
    mine.write_bytes(before)
    page = tmp_path / "out" / "feedback.html"
    code = cli.main(["check", str(mine), "--html", str(page), "--timeout", "20"])
    out = capsys.readouterr().out
    assert code == 1, "a blank notebook loses points"
    assert "ps05_warmup:" in out and f"feedback page: {page}" in out
    assert "Part A " in out and "Part I " in out and "manual / 3" in out
    html = page.read_text(encoding="utf-8")
    assert "<html" in html.lower() and "p03_rate_limiter" in html
    assert "NotImplementedError" in html, "the page shows each failing test's error"
    assert mine.read_bytes() == before


def test_hub_configs_written_before_the_grading_engine_moved_still_load(tmp_path):
    """deploy/hub.py used to write `from sysdesign.cli import grading_rules` into instructors' configs."""
    from traitlets.config.loader import PyFileConfigLoader

    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\nfrom sysdesign.cli import grading_rules\ngrading_rules(c)\n",
        encoding="utf-8",
    )
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(tmp_path)).load_config()
    from sysdesign.nbgrading.config import StrictTestOutputs, grading_rules

    assert cli.grading_rules is grading_rules
    assert cfg.Execute.timeout == 10
    assert StrictTestOutputs in cfg.Autograde.autograde_preprocessors


def test_the_command_starts_without_loading_nbgrader():
    """`sysdesign list` and `audit` never run nbgrader, so they do not pay for importing it (2-3 s)."""
    code = "import sys, sysdesign.cli; print(sorted(m for m in sys.modules if m.split('.')[0] == 'nbgrader'))"
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert run.stdout.strip() == "[]"
