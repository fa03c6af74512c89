"""The class-capacity estimate: hand arithmetic for the default plan and variations, invariants, bad input.

Expected numbers are worked out in the comments from ClassPlan's defaults: 500 students, half
online at the peak, 300 MB x 1.5 per server, 0.1 core each, 64 GB / 4 GB reserved / 16-core
machines, ps01's release taken as 27 KB, 2 attempts, autograded copy 1.6x, feedback 165 KB + the
notebook, 15 s to grade a notebook, 4 s to start nbgrader, half the submissions in the last hour.
"""

from __future__ import annotations

import capacity  # deploy/capacity.py (conftest.py, via hubenv, puts deploy/ on sys.path)
import pytest
from capacity import ClassPlan, estimate_class, submission_bytes, users_per_node
from hubenv import ROOT
from hypothesis import given
from hypothesis import strategies as st

DEFAULT = estimate_class(ClassPlan())

DEFAULT_FIGURES = [
    ("concurrent_servers", 250),  # 500 x 0.5
    ("users_per_node", 133),  # min(60e9 / 450e6 = 133.3, 16 / 0.1 = 160), rounded down
    ("nodes", 2),  # ceil(250 / 133)
    ("user_memory", 112.5e9),  # 250 x 300 MB x 1.5
    ("hub_memory", 450e6),  # 200 MB + 500 x 0.5 MB
    ("cores", 26),  # 250 x 0.1 + 1
    (
        "submission_storage_total",
        377.1e6,
    ),  # 500 x (2x2x27k + 27k + 1.6x27k + 3x(165k + 27k)) = 500 x 754.2 KB
    (
        "peak_submissions_per_second",
        1000 / 86_400 * 12,
    ),  # 500 x 2 a day, half in the last hour: 12x the average
    ("peak_upload", 1000 * 27e3 / 86_400 * 12),  # = 3,750 B/s
]


@pytest.mark.parametrize(("name", "expected"), DEFAULT_FIGURES)
def test_default_class_of_500(name, expected):
    assert getattr(DEFAULT, name) == pytest.approx(expected, rel=1e-9)


def test_default_autograding_times():
    assert DEFAULT.autograde_one_process == pytest.approx([4 + 500 * 15])  # 7,504 s, about 2.1 hours
    assert DEFAULT.autograde_process_per_student == pytest.approx([500 * (15 + 4)])  # 9,500 s


VARIATIONS = [
    # (changed assumptions, figure, expected, arithmetic)
    ({"cpu_per_user": 0.5}, "users_per_node", 32, "16 / 0.5 = 32 < 133: CPU is the limit"),
    ({"cpu_per_user": 0.5}, "nodes", 8, "ceil(250 / 32)"),
    ({"students": 2000}, "nodes", 8, "1000 online / 133 = 7.5 -> 8"),
    ({"students": 2000}, "concurrent_servers", 1000, "2000 x 0.5"),
    ({"peak_online_fraction": 1.0}, "user_memory", 225e9, "500 x 450 MB"),
    ({"grading_processes": 16}, "autograde_one_process", [4 + 32 * 15], "ceil(500 / 16) = 32 rounds of 15 s"),
    ({"grading_processes": 16}, "autograde_process_per_student", [500 * 19 / 16], "9,500 s over 16"),
    (
        {"problem_sets": (27e3, 54e3)},
        "submission_storage_per_set",
        [377.1e6, 500 * (4 * 54e3 + 2.6 * 54e3 + 3 * (165e3 + 54e3))],
        "second set twice as big: 500 x 1,013.4 KB",
    ),
    (
        {"attempts_per_set": 5},
        "submission_storage_total",
        500 * (5 * 2 * 27e3 + 2.6 * 27e3 + 3 * 192e3),
        "5 attempts of 2 copies each: 500 x 916.2 KB",
    ),
]


@pytest.mark.parametrize(("changes", "name", "expected", "why"), VARIATIONS)
def test_variations(changes, name, expected, why):
    assert getattr(estimate_class(ClassPlan(**changes)), name) == pytest.approx(expected, rel=1e-9), why


def test_submission_bytes_counts_every_copy():
    # 1 attempt of a 10 KB notebook, no growth, no feedback overhead: 2 (exchange + cache) + 2 (submitted +
    # autograded) + 3 feedback copies of the notebook = 7 copies.
    plan = ClassPlan(attempts_per_set=1, autograded_growth=1.0, feedback_overhead=0)
    assert submission_bytes(plan, 10e3) == pytest.approx(7 * 10e3)


@given(st.integers(1, 100_000), st.integers(1, 100_000))
def test_more_students_never_need_fewer_machines_or_less_disk(a, b):
    small, large = sorted((a, b))
    s, big = estimate_class(ClassPlan(students=small)), estimate_class(ClassPlan(students=large))
    assert big.nodes >= s.nodes
    assert big.submission_storage_total >= s.submission_storage_total
    assert big.user_memory == pytest.approx(s.user_memory * large / small)


@given(st.integers(1, 64))
def test_more_grading_processes_never_slow_grading(processes):
    one = estimate_class(ClassPlan(grading_processes=1)).autograde_one_process[0]
    many = estimate_class(ClassPlan(grading_processes=processes)).autograde_one_process[0]
    assert many <= one


def test_one_process_for_the_class_beats_one_process_per_student():
    # The start-up is paid once instead of once per student.
    c = estimate_class(ClassPlan())
    assert c.autograde_one_process[0] < c.autograde_process_per_student[0]


def test_table_and_markdown_show_every_figure_and_assumption():
    df = capacity.table(ClassPlan(problem_sets=(27e3, 30e3)), ["ps01", "ps02"])
    assert {"ps01: disk for submissions and feedback", "ps02: autograding, one nbgrader run"} <= set(
        df.quantity
    )
    assert df.set_index("quantity").loc["machines for student servers", "value"] == 2
    text = capacity.markdown()
    assert text.startswith("| Quantity | Estimate | How |")
    for name in capacity.ASSUMPTIONS:
        assert f"`{name}`" in text
    assert set(capacity.ASSUMPTIONS) == {f.name for f in capacity.fields(ClassPlan)}


def test_course_problem_sets_reads_the_released_notebooks():
    sets = capacity.course_problem_sets(ROOT)
    release = ROOT / "exercises" / "ps01_estimation" / "ps01_estimation.ipynb"
    assert sets["ps01_estimation"] == release.stat().st_size


def test_main_prints_the_table(capsys):
    assert capacity.main(["--students", "120"]) == 0
    out = capsys.readouterr().out
    assert "| students | 120 | the class |" in out
    assert "| servers running at the peak | 60 |" in out


BAD = [
    ({"students": 0}, "students"),
    ({"peak_online_fraction": 1.5}, "peak_online_fraction"),
    ({"peak_online_fraction": 0}, "peak_online_fraction"),
    ({"problem_sets": ()}, "problem_sets"),
    ({"problem_sets": (0,)}, "problem_sets"),
    ({"server_memory": -1}, "server_memory"),
    ({"memory_headroom": 0.5}, "memory_headroom"),
    ({"grading_processes": 0}, "grading_processes"),
    ({"node_reserved_memory": 64e9}, "node_reserved_memory"),
    ({"deadline_hour_share": 2}, "deadline_hour_share"),
]


@pytest.mark.parametrize(("changes", "name"), BAD)
def test_bad_assumptions_name_the_parameter(changes, name):
    with pytest.raises(ValueError, match=name):
        ClassPlan(**changes)


def test_wrong_types_name_the_parameter():
    with pytest.raises(TypeError, match="node_cores"):
        ClassPlan(node_cores="16")  # type: ignore[arg-type]


def test_a_machine_too_small_for_one_server_is_an_error():
    with pytest.raises(ValueError, match="node_memory"):
        users_per_node(ClassPlan(node_memory=1e9, node_reserved_memory=0.9e9))


def test_table_needs_a_name_per_set():
    with pytest.raises(ValueError, match="names"):
        capacity.table(ClassPlan(), ["a", "b"])
