"""The in-notebook self-check (sysdesign.selfcheck) and model answers after an attempt (nbgrading.reveal).

The slow tests grade ps01 for real: the solution shows full marks and every model answer; the blank
shows zero with a hint per part, no model answer, and no line of hidden test code; a notebook with
one wrong answer and the written part filled in reveals exactly those two parts (the written one
with its grading guide), inside a real kernel started for that notebook, and in `sysdesign check
--reveal`.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from ps01_variants import RELEASE, SET, SOLUTION, filled, load, with_answer
from sysdesign import cli, progress, selfcheck
from sysdesign.nbgrading.reveal import attempted, model_answers, split_guide

WRONG_EGRESS = "def egress(bytes_per_day, views_per_photo):\n    return bytes_per_day / 86_400\n"
MY_ESSAY = "The upload rate is small; storage dominates, so I would size the object store first."


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SYSDESIGN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    return tmp_path / "data"


def hidden_test_lines() -> list[str]:
    """Every line of ps01's hidden tests that is specific enough to recognise (20+ characters)."""
    text = "\n".join("".join(c["source"]) for c in load(SOLUTION)["cells"])
    blocks = re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", text, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if len(line.strip()) >= 20]


def partial() -> dict:
    """The release with one wrong answer (Part F) and the written Part J answered; the rest blank."""
    nb = with_answer(load(RELEASE), "egress", WRONG_EGRESS)
    for c in nb["cells"]:
        if c["metadata"].get("nbgrader", {}).get("grade_id") == "answer-design":
            c["source"] = MY_ESSAY
    return nb


def write(path: Path, nb: dict) -> Path:
    path.write_text(json.dumps(nb, indent=1) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------- fast


def test_attempted_parts_are_those_whose_answer_differs_from_the_release():
    release = load(RELEASE)
    assert attempted(release, release) == set()
    assert attempted(partial(), release) == {"F", "J"}
    assert attempted(filled(), release) == set("ABCDEFGHIJ")
    assert attempted(partial(), None) == {"F", "J"}, "without the release: the stub markers decide"


def test_model_answers_come_from_the_solution_without_markers_or_tests():
    answers = model_answers(load(SOLUTION))
    assert list(answers) == list("ABCDEFGHIJ")
    assert "def egress(" in answers["F"].code and "SOLUTION" not in answers["F"].code
    assert answers["J"].manual and answers["J"].guide.startswith("Grading guide (3 points)")
    assert "Grading guide" not in answers["J"].text and answers["J"].text
    shown = "\n".join(a.code + a.text + a.guide for a in answers.values())
    assert not [line for line in hidden_test_lines() if line in shown]


def test_split_guide():
    assert split_guide("Answer.\n\nGrading guide (2 points): one per idea.") == (
        "Answer.",
        "Grading guide (2 points): one per idea.",
    )
    assert split_guide("Only an answer.") == ("Only an answer.", "")


def test_unsaved_answers_compares_the_last_run_definition_with_the_saved_cell():
    saved = filled()
    body = "".join(c for c in next(c["source"] for c in saved["cells"] if c.get("id") == "answer-egress"))
    assert selfcheck.unsaved_answers(saved, ["import x", body]) == []
    assert selfcheck.unsaved_answers(saved, [body, WRONG_EGRESS]) == ["egress"]
    assert selfcheck.unsaved_answers(saved, [WRONG_EGRESS, body]) == [], "the last run is what counts"


def test_check_does_nothing_while_nbgrader_grades(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    result = selfcheck.check(str(RELEASE))
    assert result.report is None and "nbgrader is grading" in result._repr_html_()


def test_without_a_session_it_asks_for_the_path():
    result = selfcheck.check()
    assert result.report is None and "pass its path" in repr(result)


def test_a_notebook_renamed_since_the_kernel_started_gets_advice(monkeypatch, tmp_path):
    monkeypatch.setenv("JPY_SESSION_NAME", str(tmp_path / "old name.ipynb"))
    assert "renamed or moved" in selfcheck.check().error


def test_the_notebook_is_found_from_the_kernels_session(monkeypatch, tmp_path):
    monkeypatch.setenv("JPY_SESSION_NAME", str(tmp_path / "mine.ipynb"))
    assert selfcheck.notebook_path() == tmp_path / "mine.ipynb"
    assert selfcheck.notebook_path("other.ipynb") == Path("other.ipynb").resolve()
    with pytest.raises(TypeError, match="path"):
        selfcheck.notebook_path(3)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------- slow


@pytest.mark.slow
def test_solution_shows_full_marks_and_every_model_answer(tmp_path):
    result = selfcheck.check(write(tmp_path / "solved.ipynb", filled()))
    assert result.score == (13.0, 13.0)  # ps01's autograded points: 1+1+1+2+1+2+1+2+2
    page = result._repr_html_()
    assert "Total (autograded): 13 / 13" in page and "✘" not in page
    assert page.count("class='sd-model-answer'") == 10
    passed = progress.results()[SET][SET]
    assert sorted(k for k, v in passed.items() if v["passed"]) == list("ABCDEFGHI")


@pytest.mark.slow
def test_blank_shows_zero_with_hints_and_no_hidden_test_code(tmp_path):
    result = selfcheck.check(write(tmp_path / "blank.ipynb", load(RELEASE)))
    assert result.score == (0.0, 13.0)
    page = html.unescape(result._repr_html_())
    assert page.count("not answered yet") == 9
    assert "sd-model-answer" not in page
    assert [line for line in hidden_test_lines() if line in page] == []
    assert "HIDDEN TESTS" not in page and "require_genuine" not in page


@pytest.mark.slow
def test_the_last_cell_checks_its_own_notebook_in_a_kernel(tmp_path, monkeypatch):
    mine = write(tmp_path / "mine.ipynb", partial())
    last = load(RELEASE)["cells"][-1]
    assert "check()" in "".join(last["source"]), "the release ends with the self-check cell"
    monkeypatch.setenv("JPY_SESSION_NAME", str(mine))  # what Jupyter Server gives a notebook's kernel
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("".join(last["source"]))])
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    page = html.unescape(nb.cells[0].outputs[-1]["data"]["text/html"])
    assert "Total (autograded): 0 / 13" in page
    revealed = re.findall(r"<summary>Part (\w):", page)
    assert revealed == ["F", "J"], "model answers of the attempted parts only"
    assert "def egress(" in page and "Grading guide (3 points)" in page
    assert [line for line in hidden_test_lines() if line in page] == []


@pytest.mark.slow
def test_cli_reveal_shows_the_attempted_parts(tmp_path, capsys):
    mine = write(tmp_path / "mine.ipynb", partial())
    assert cli.main(["check", str(mine), "--reveal"]) == 1
    out = capsys.readouterr().out
    assert re.findall(r"^--- Part (\w):", out, flags=re.M) == ["F", "J"]
    assert "Grade yourself: Grading guide (3 points)" in out


def test_instructor_reveal_adds_each_students_attempted_parts_to_their_feedback_page(tmp_path, capsys):
    course = tmp_path / "course"
    (course / "nbgrader_config.py").parent.mkdir()
    (course / "nbgrader_config.py").write_text("c = get_config()\n")
    for student, nb in (("ann", partial()), ("bob", load(RELEASE))):
        folder = course / "autograded" / student / SET
        folder.mkdir(parents=True)
        write(folder / f"{SET}.ipynb", nb)
    assert cli.main(["reveal", SET, "--course", str(course)]) == 2
    assert "nbgrader generate_feedback" in capsys.readouterr().err
    for student in ("ann", "bob"):
        page = course / "feedback" / student / SET / f"{SET}.html"
        page.parent.mkdir(parents=True)
        page.write_text("<html><body><h1>Feedback</h1></body></html>")
    assert cli.main(["reveal", SET, "--course", str(course)]) == 0
    assert cli.main(["reveal", SET, "--course", str(course)]) == 0  # twice: replaced, not doubled
    ann = (course / "feedback" / "ann" / SET / f"{SET}.html").read_text()
    assert re.findall(r"<summary>Part (\w):", ann) == ["F", "J"] and ann.endswith("</body></html>")
    assert "Grading guide (3 points)" in ann and ann.count("sysdesign model answers -->") == 2
    bob = (course / "feedback" / "bob" / SET / f"{SET}.html").read_text()
    assert "<summary>" not in bob and "appear here" in bob


def test_percent_check_magic_and_the_unsaved_warning(monkeypatch, tmp_path):
    import sysdesign.nbgrading.check as engine
    from sysdesign.nbgrading import GradingError

    saved = write(tmp_path / "mine.ipynb", filled())

    class Shell:
        user_ns = {"In": ["", WRONG_EGRESS], "__session__": str(saved)}

        def register_magic_function(self, func, kind, name):
            self.magic = (func, kind, name)

    shell = Shell()
    monkeypatch.setattr(selfcheck, "_shell", lambda: shell)

    def no_grading(path, timeout=None):
        raise GradingError("stopped here by the test")

    monkeypatch.setattr(engine, "check", no_grading)
    selfcheck.load_ipython_extension(shell)
    func, kind, name = shell.magic
    assert (kind, name) == ("line", "check")
    result = func("")  # %check: the kernel's own notebook
    assert result.path == saved and "stopped here by the test" in result.error
    page = result._repr_html_()
    assert "Unsaved changes: the egress() you ran differs from the saved file" in page
