"""The local progress store (sysdesign.progress): kept under SYSDESIGN_DATA_DIR here, never in the repo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sysdesign import progress

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SYSDESIGN_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_the_store_lives_in_the_data_dir_not_the_repo(data_dir):
    progress.record_answer("03.peak_qps", False, "2000")
    assert progress.path() == data_dir / "progress.json" and progress.path().is_file()
    assert ROOT not in progress.path().parents


def test_default_folder_is_the_users_data_folder(monkeypatch):
    import platformdirs

    monkeypatch.delenv("SYSDESIGN_DATA_DIR")
    assert progress.data_dir() == Path(platformdirs.user_data_dir("sysdesign", appauthor=False))


def test_an_answer_once_right_stays_right_and_tries_count():
    progress.record_answer("03.peak_qps", False, "2000")
    progress.record_answer("03.peak_qps", True, "17k")
    entry = progress.record_answer("03.peak_qps", False, "1")
    assert entry["right"] is True and entry["tries"] == 3 and entry["last"] == "1"
    progress.record_answer("07.hot_shard", None, "it melts")
    assert progress.answers()["07.hot_shard"]["right"] is False
    assert set(progress.answers()) == {"03.peak_qps", "07.hot_shard"}


def test_checks_keep_the_best_score_per_part():
    progress.record_check("ps01_estimation", "ps01_estimation", [{"part": "A", "score": 1, "max_score": 1}])
    progress.record_check(
        "ps01_estimation",
        "ps01_estimation",
        [{"part": "A", "score": 0, "max_score": 1}, {"part": "B", "score": 0.5, "max_score": 1}],
    )
    parts = progress.results()["ps01_estimation"]["ps01_estimation"]
    assert parts["A"]["passed"] and parts["A"]["score"] == 1
    assert not parts["B"]["passed"] and parts["B"]["score"] == 0.5


def test_reset_forgets_everything():
    progress.record_answer("03.peak_qps", True)
    progress.reset()
    assert progress.answers() == {} and progress.results() == {} and not progress.path().exists()
    progress.reset()  # twice is fine


def test_an_unreadable_store_reads_as_empty_and_is_replaced(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "progress.json").write_text("{not json", encoding="utf-8")
    assert progress.answers() == {}
    progress.record_answer("03.peak_qps", True)
    assert json.loads((data_dir / "progress.json").read_text())["questions"]["03.peak_qps"]["right"]


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: progress.record_answer("peak", True), "key"),
        (lambda: progress.record_answer("03.peak_qps", "yes"), "correct"),  # type: ignore[arg-type]
        (lambda: progress.record_check("../etc", "x", []), "problem_set"),
        (lambda: progress.record_check("ps01", "a/b", []), "notebook"),
    ],
)
def test_malformed_input_names_the_parameter(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


def test_lesson_08s_mistake_quizzes_count_with_its_questions():
    from sysdesign import framework
    from sysdesign.widgets.framework import mistake_quiz

    quiz = mistake_quiz("silent_design")
    quiz.controls["answer"].value = framework.mistake("silent_design").quiz.options[0]  # the right one
    quiz.press("Check")
    assert progress.answers()["08.silent_design"]["right"] is True
    row = progress.lesson_table().set_index("lesson").loc["08_mistakes_and_communication"]
    # lesson 08 shows seven mistake quizzes (framework.MISTAKES) besides its other questions
    assert row["right"] == 1 and row["questions"] >= len(framework.MISTAKES)
