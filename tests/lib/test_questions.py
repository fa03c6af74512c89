"""The checked questions' marking: right, wrong, out of tolerance, malformed input (sysdesign.questions)."""

from __future__ import annotations

import re
import warnings

import pytest
from sysdesign.questions import Choice, Number, Order, Prediction, lesson_of, parse_number

# The seed's chat estimate: 500 M messages/day at a peak factor of 3 -> 500e6 / 86,400 * 3 = 17,361 QPS.
PEAK = 500e6 / 86_400 * 3


def peak(**kw: object) -> Number:
    return Number(
        "03.peak_qps", "Peak QPS?", answer=PEAK, unit="QPS", working="500 M/day ÷ 86,400 s × 3", **kw
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("17000", 17000.0),
        ("17,000", 17000.0),
        ("17k", 17000.0),
        ("1.7e4", 17000.0),
        ("2 million", 2e6),
        ("2.5M", 2.5e6),
        ("3 billion", 3e9),
        ("-4", -4.0),
        (42, 42.0),
        (0.5, 0.5),
    ],
)
def test_parse_number_accepts_what_people_type(text: object, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("17k QPS", "QPS", 17000.0),
        ("~17,000 qps", "QPS", 17000.0),
        ("about 2 million", "", 2e6),
        ("94%", "%", 94.0),
        ("94 %", "%", 94.0),
        ("1.5 hours", "hours", 1.5),
    ],
)
def test_parse_number_takes_the_question_unit_and_about(text: str, unit: str, value: float) -> None:
    assert parse_number(text, unit) == pytest.approx(value)


def test_a_number_question_marks_an_answer_written_with_its_unit() -> None:
    question = Number("03.peak", "Peak QPS?", answer=17_361, unit="QPS", rel_tol=0.5)
    assert question.check("17k QPS").correct
    assert question.check("2k QPS").correct is False


@pytest.mark.parametrize(
    "bad", ["", "%", "QPS", "lots", "17 kilos", "1..2", "nan", True, None, [1], float("inf")]
)
def test_parse_number_refuses_malformed_input_naming_response(bad: object) -> None:
    with pytest.raises((ValueError, TypeError), match="response"):
        parse_number(bad)


@pytest.mark.parametrize(
    ("response", "correct"),
    [
        ("17k", True),
        (PEAK * 1.25, True),
        (PEAK * 0.75, True),
        (PEAK * 1.26, False),
        (PEAK * 0.74, False),
        ("2000", False),
        ("-17361", False),
        (0, False),
    ],
)
def test_number_within_relative_tolerance(response: object, correct: bool) -> None:
    assert peak(rel_tol=0.25).check(response).correct is correct


def test_number_default_tolerance_is_25_percent() -> None:
    assert peak().check(PEAK * 1.2).correct and not peak().check(PEAK * 1.3).correct


@pytest.mark.parametrize(
    ("response", "correct"),
    [(PEAK / 9.9, True), (PEAK * 9.9, True), (PEAK / 10.1, False), (PEAK * 10.1, False), (-PEAK, False)],
)
def test_number_order_of_magnitude(response: float, correct: bool) -> None:
    assert peak(factor=10).check(response).correct is correct


def test_number_feedback_puts_the_learners_number_in_the_computation() -> None:
    verdict = peak(rel_tol=0.25).check("2000")
    # 2,000 / 17,361 = 0.115, i.e. 17,361 / 2,000 = 8.7 times too small.
    assert "Your 2,000 QPS ÷ 17,361 QPS = 0.115" in verdict.why
    assert "8.7 times too small" in verdict.summary
    assert "500 M/day ÷ 86,400 s × 3 = 17,361 QPS" in verdict.why
    assert "17,361" not in verdict.summary  # the summary, shown after a first try, keeps the answer back
    assert "from 13,021 to 21,701" in verdict.why  # 17,361 × 0.75 and × 1.25


@pytest.mark.parametrize(
    ("kw", "name"),
    [
        ({"rel_tol": 0}, "rel_tol"),
        ({"rel_tol": 1.5}, "rel_tol"),
        ({"factor": 1}, "factor"),
        ({"rel_tol": 0.1, "factor": 10}, "rel_tol and factor"),
        ({"tries": 0}, "tries"),
        ({"unit": 3}, "unit"),
    ],
)
def test_number_malformed_question(kw: dict[str, object], name: str) -> None:
    with pytest.raises((ValueError, TypeError), match=name):
        peak(**kw)


@pytest.mark.parametrize("key", ["peak", "3.peak", "03.", "03.Peak QPS", 3])
def test_key_must_name_the_lesson(key: object) -> None:
    with pytest.raises(ValueError, match="key"):
        Number(key, "Peak?", answer=1.0)  # type: ignore[arg-type]


def test_lesson_of() -> None:
    assert lesson_of("14.fanout_cost") == "14"


CACHE = Choice(
    "05.cache",
    "Where does a hot read come from fastest?",
    ("Postgres on SSD", "Redis in memory", "S3"),
    answer=1,
    explanation="Memory beats SSD by about 100x.",
    why_not=("A disk read still costs ~100 µs.", "", "Object storage takes tens of ms."),
)


@pytest.mark.parametrize(
    ("response", "correct"),
    [
        (1, True),
        ("B", True),
        ("b)", True),
        ("Redis in memory", True),
        (0, False),
        ("A", False),
        ("S3", False),
    ],
)
def test_choice(response: object, correct: bool) -> None:
    assert CACHE.check(response).correct is correct


def test_choice_feedback_says_why_the_pick_is_wrong() -> None:
    verdict = CACHE.check("A")
    assert "A disk read still costs" in verdict.summary and "B) Redis" not in verdict.summary
    assert verdict.answer == "B) Redis in memory"


@pytest.mark.parametrize("bad", [3, -1, "D", "Memcached", None, True])
def test_choice_malformed_response(bad: object) -> None:
    with pytest.raises(ValueError, match="response"):
        CACHE.check(bad)


@pytest.mark.parametrize(
    ("kw", "name"),
    [
        ({"options": ("only",)}, "options"),
        ({"options": ("a", "a")}, "options"),
        ({"options": "ab"}, "options"),
        ({"answer": 3}, "answer"),
        ({"why_not": ("x",)}, "why_not"),
        ({"explanation": ""}, "explanation"),
    ],
)
def test_choice_malformed_question(kw: dict[str, object], name: str) -> None:
    args = {"key": "05.x", "prompt": "p", "options": ("a", "b", "c"), "answer": 0, "explanation": "e"} | kw
    with pytest.raises((ValueError, TypeError), match=name):
        Choice(**args)  # type: ignore[arg-type]


# Latency order from the cheat sheet (sysdesign.reference.latency):
# L1 hit (~1 ns) < RAM (~100 ns) < SSD read (~100 µs) < disk seek (~10 ms).
LATENCY = Order(
    "09.latency", "Fastest first", ("L1 cache hit", "RAM read", "SSD read", "Disk seek"), "Each step ~100x+."
)


def letters(items: tuple[str, ...]) -> str:
    return " ".join("ABCD"[LATENCY.shown.index(i)] for i in items)


def test_order_is_shown_shuffled_and_stable() -> None:
    assert LATENCY.shown != LATENCY.items and sorted(LATENCY.shown) == sorted(LATENCY.items)
    assert LATENCY.shown == Order("09.latency", "x", LATENCY.items, "e").shown


def test_order_right_and_wrong() -> None:
    assert LATENCY.check(letters(LATENCY.items)).correct
    assert LATENCY.check(list(LATENCY.items)).correct
    swapped = ("L1 cache hit", "SSD read", "RAM read", "Disk seek")
    verdict = LATENCY.check(letters(swapped).replace(" ", ", ").lower())
    assert (
        not verdict.correct
        and "2 of 4 in the right place" in verdict.summary
        and "position 2" in verdict.summary
    )


@pytest.mark.parametrize("bad", ["A B C", "A B C D A", "A B C E", "A A B C", ["L1 cache hit"], 12])
def test_order_malformed_response(bad: object) -> None:
    with pytest.raises((ValueError, TypeError), match="response"):
        LATENCY.check(bad)


def test_prediction_is_revealed_not_marked() -> None:
    q = Prediction("07.hot_shard", "What happens to the celebrity's shard?", model_answer="It overloads.")
    verdict = q.check("it gets hot")
    assert verdict.correct is None and verdict.answer == "It overloads." and "it gets hot" in verdict.why
    for bad in ("", "   ", None, "x" * 2001):
        with pytest.raises((ValueError, TypeError), match="response"):
            q.check(bad)
    with pytest.raises(ValueError, match="model_answer"):
        Prediction("07.x", "p", model_answer="")


def test_widget_reveals_nothing_before_commit_and_allows_a_second_try(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SYSDESIGN_DATA_DIR", str(tmp_path))
    from sysdesign import progress
    from sysdesign.widgets.question import ask

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = ask(peak(rel_tol=0.25, hint="A day has 86,400 seconds."))
    assert w.feedback.value == "" and "17,361" not in w.prompt.value
    assert w.answer("") is None and "answer first" in w.status.value
    assert (
        not w.answer("2000").correct
        and "17,361" not in w.feedback.value
        and "86,400 seconds" in w.feedback.value
    )
    assert not w.done and w.answer("17k").correct and w.done and w.button.disabled
    assert progress.answers()["03.peak_qps"]["right"] is True
    c = ask(CACHE)
    assert c.answer(0).correct is False and c.answer(1).correct is True


def test_course_map_counts_answers_as_they_are_committed_and_resets_after_a_confirmation(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("SYSDESIGN_DATA_DIR", str(tmp_path))
    from sysdesign import progress
    from sysdesign.widgets.question import ask, course_map

    shown = course_map()
    lessons = next(c for c in shown.children if "sd-course-map-lessons" in c._dom_classes)
    row = re.compile(r"<td>03_estimation</td>\s*<td>[^<]*</td>\s*<td>(\d+) of (\d+)</td>")
    assert row.search(lessons.value).group(1) == "0"
    ask(peak()).answer("17k")
    assert row.search(lessons.value).group(1) == "1", "the map redraws after a committed answer"
    reset = next(b for b in shown.children[0].children if "sd-course-map-reset" in b._dom_classes)
    reset.click()
    assert progress.answers(), "the first click only asks"
    reset.click()
    assert progress.answers() == {} and row.search(lessons.value).group(1) == "0"
