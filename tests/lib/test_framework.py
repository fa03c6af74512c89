"""The framework as data (phases, coverage, mistakes, problems) and the phase timer's invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign import course
from sysdesign import framework as fw
from sysdesign.framework import ManualClock, PhaseTimer

# --------------------------------------------------------------------------------------------
# Phases
# --------------------------------------------------------------------------------------------

# Syllabus, "The 45-Minute Framework": 5 + 5 + 5 + 15 + 10 + 5 = 45 minutes.
SYLLABUS_PHASES = [
    (1, "requirements", 5),
    (2, "estimation", 5),
    (3, "api", 5),
    (4, "architecture", 15),
    (5, "deep_dive", 10),
    (6, "wrap_up", 5),
]


@pytest.mark.parametrize(("number", "key", "minutes"), SYLLABUS_PHASES)
def test_phase_minutes_match_the_syllabus(number, key, minutes):
    assert fw.phase(key).minutes == minutes
    assert fw.phase(number).key == key


def test_the_whole_interview_is_45_minutes():
    assert fw.total_minutes() == 45  # syllabus: the phases add up to 45 minutes
    table = fw.phases()
    assert table["minutes"].sum() == 45
    assert table["ends_at"].tolist() == [5, 10, 15, 30, 40, 45]  # running sum of 5, 5, 5, 15, 10, 5
    assert table["starts_at"].tolist() == [0, 5, 10, 15, 30, 40]


def test_architecture_gets_a_third_and_equals_the_first_three_phases():
    table = fw.phases().set_index("key")
    assert table.loc["architecture", "share"] == pytest.approx(15 / 45)
    assert (
        table.loc[["requirements", "estimation", "api"], "minutes"].sum()
        == table.loc["architecture", "minutes"]
    )


@pytest.mark.parametrize(
    ("length", "expected"),
    [
        (30, [10 / 3, 10 / 3, 10 / 3, 10, 20 / 3, 10 / 3]),  # each budget x 30/45
        (60, [20 / 3, 20 / 3, 20 / 3, 20, 40 / 3, 20 / 3]),  # each budget x 60/45
        (90, [10, 10, 10, 30, 20, 10]),  # each budget doubled
    ],
)
def test_plan_scales_every_phase_by_the_same_factor(length, expected):
    assert fw.plan(length)["minutes"].tolist() == pytest.approx(expected)


@given(st.floats(min_value=10, max_value=180))
def test_plan_adds_up_and_keeps_shares(length):
    table = fw.plan(length)
    assert table["minutes"].sum() == pytest.approx(length)
    assert table["ends_at"].iloc[-1] == pytest.approx(length)
    assert table["share"].tolist() == pytest.approx([m / 45 for _, _, m in SYLLABUS_PHASES])
    assert (table["starts_at"].iloc[1:].to_numpy() == table["ends_at"].iloc[:-1].to_numpy()).all()


def test_phase_lessons_exist_in_the_course_map():
    slugs = {x.slug for x in course.LESSONS}
    assert {p.lesson for p in fw.PHASES} <= slugs


def test_phase_figure_has_one_bar_per_phase_spanning_the_interview():
    fig = fw.phase_figure(60)
    assert len(fig.data) == 6
    assert fig.data[-1].base[0] + fig.data[-1].x[0] == pytest.approx(60)
    assert "60-minute" in fig.layout.title.text


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: fw.phase("coding"), "phase must be one of 'requirements'"),
        (lambda: fw.phase(7), r"phase must be a number in \[1, 6\]"),
        (lambda: fw.phase(0), r"phase must be a number in \[1, 6\]"),
        (lambda: fw.plan(5), r"length_minutes must be a number in \[10, 180\]"),
        (lambda: fw.plan(math.nan), "length_minutes"),
    ],
)
def test_bad_phase_inputs_name_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_plan_rejects_text():
    with pytest.raises(TypeError, match="length_minutes"):
        fw.plan("45")


# --------------------------------------------------------------------------------------------
# The seven items to cover
# --------------------------------------------------------------------------------------------


def test_seven_coverage_items_with_the_syllabus_counts():
    table = fw.coverage().set_index("key")
    assert len(table) == 7
    # Syllabus, "For Each Practice Problem": API 3-5 endpoints, deep dive on 2 components,
    # at least 3 explicit tradeoff discussions.
    assert (table.loc["api", "at_least"], table.loc["api", "at_most"]) == (3, 5)
    assert table.loc["deep_dive", "at_least"] == 2
    assert table.loc["tradeoffs", "at_least"] == 3
    assert list(table.index) == [
        "requirements",
        "estimation",
        "api",
        "architecture",
        "deep_dive",
        "tradeoffs",
        "failures",
    ]


FULL = {
    "requirements": 1,
    "estimation": 1,
    "api": 4,
    "architecture": 1,
    "deep_dive": 2,
    "tradeoffs": 3,
    "failures": 2,
}


def test_a_complete_answer_has_no_gaps():
    assert fw.coverage_gaps(FULL)["ok"].all()


@pytest.mark.parametrize(
    ("change", "gap"),
    [
        ({"api": 2}, "api"),  # fewer than 3 endpoints
        ({"api": 6}, "api"),  # more than 5 endpoints
        ({"deep_dive": 1}, "deep_dive"),  # one component, not two
        ({"tradeoffs": 2}, "tradeoffs"),  # two tradeoffs, not three
        ({"failures": 0}, "failures"),
    ],
)
def test_each_shortfall_is_flagged(change, gap):
    gaps = fw.coverage_gaps({**FULL, **change})
    assert gaps.loc[~gaps["ok"], "key"].tolist() == [gap]


def test_missing_keys_count_as_zero():
    gaps = fw.coverage_gaps({})
    assert not gaps["ok"].any()
    assert gaps["have"].sum() == 0


@pytest.mark.parametrize(
    ("counts", "error", "match"),
    [
        ({"diagram": 1}, ValueError, "counts key must be one of"),
        ({"api": -1}, ValueError, r"counts\['api'\] must be a number >= 0"),
        ({"api": 2.5}, TypeError, r"counts\['api'\] must be a whole number"),
        ({"api": True}, TypeError, r"counts\['api'\]"),
        ([("api", 3)], TypeError, "counts must be a mapping"),
    ],
)
def test_bad_counts(counts, error, match):
    with pytest.raises(error, match=match):
        fw.coverage_gaps(counts)


# --------------------------------------------------------------------------------------------
# Mistakes and their quizzes
# --------------------------------------------------------------------------------------------

# Syllabus, "Common Mistakes": the seven patterns, in order.
SYLLABUS_MISTAKES = [
    "Jumping to the solution",
    "No estimation",
    "Ignoring non-functional requirements",
    "Not discussing tradeoffs",
    "Over-engineering",
    "Silent design",
    "Single points of failure",
]


def test_the_seven_mistakes():
    assert fw.mistakes()["mistake"].tolist() == SYLLABUS_MISTAKES


# The right option of each quiz, by a phrase only that option contains (written with the quizzes).
RIGHT_ANSWERS = [
    ("jumping_to_solution", "Asked what users do"),
    ("no_estimation", "peak write rate"),
    ("ignoring_non_functional", "plan for failure and load"),
    ("no_tradeoffs", "DynamoDB over PostgreSQL, because"),
    ("over_engineering", "Two stateless app servers"),
    ("silent_design", "Narrating while thinking"),
    ("single_points_of_failure", "The load balancer, the Redis node and the PostgreSQL primary"),
]


@pytest.mark.parametrize(("key", "phrase"), RIGHT_ANSWERS)
def test_each_quiz_accepts_exactly_its_right_option(key, phrase):
    quiz = fw.mistake(key).quiz
    verdicts = [fw.check_answer(key, i).correct for i in range(len(quiz.options))]
    assert sum(verdicts) == 1
    right = quiz.options[verdicts.index(True)]
    assert phrase in right
    assert fw.check_answer(key, right).correct  # by text as well as by index
    wrong = next(o for o in quiz.options if o != right)
    result = fw.check_answer(key, wrong)
    assert not result.correct and result.chosen == wrong and result.right == right


@pytest.mark.parametrize("m", fw.MISTAKES, ids=lambda m: m.key)
def test_every_quiz_is_well_formed(m):
    q = m.quiz
    assert len(q.options) >= 3 and len(set(q.options)) == len(q.options)
    assert 0 <= q.answer < len(q.options)
    assert q.snippet and q.question.endswith("?") and q.explanation
    assert m.looks_like and m.fix


def test_right_answers_are_not_always_in_the_same_place():
    assert len({m.quiz.answer for m in fw.MISTAKES}) >= 3


def test_estimation_quiz_quotes_the_syllabus_numbers():
    # Syllabus: 50M DAU x 10 messages = 500M/day; 500M / 86,400 = 5,787/s, x3 = 17,361 -> "about 17,000";
    # a single database server handles 5K-10K QPS.
    q = fw.mistake("no_estimation").quiz
    right = q.options[q.answer]
    assert "17,000" in right and "5,000-10,000" in right
    assert "500 million" in q.explanation and "6,000" in q.explanation


@pytest.mark.parametrize(
    ("key", "choice", "error", "match"),
    [
        ("typos", 0, ValueError, "mistake must be one of 'jumping_to_solution'"),
        ("silent_design", 4, ValueError, r"choice must be a number in \[0, 3\]"),
        ("silent_design", -1, ValueError, r"choice must be a number in \[0, 3\]"),
        ("silent_design", "Shout.", ValueError, "choice must be one of"),
        ("silent_design", 1.0, TypeError, "choice must be an option index"),
        ("silent_design", None, TypeError, "choice must be an option index"),
    ],
)
def test_bad_quiz_answers(key, choice, error, match):
    with pytest.raises(error, match=match):
        fw.check_answer(key, choice)


# --------------------------------------------------------------------------------------------
# Communication, wrap-up, practice problems
# --------------------------------------------------------------------------------------------


def test_five_communication_tips_each_with_a_sentence_to_say():
    tips = fw.communication_tips()
    assert len(tips) == 5  # syllabus, "Communication Tips": five habits
    assert tips["say"].str.startswith('"').all()


def test_extensions_are_the_syllabus_five():
    # Syllabus, wrap-up: encryption, search, multi-region, abuse detection, retention/GDPR.
    names = " ".join(fw.extensions()["extension"]).lower()
    for word in ("encryption", "search", "multi-region", "abuse", "gdpr"):
        assert word in names


def test_spoken_summary_uses_the_estimate_and_names_every_part():
    text = fw.spoken_summary()
    # 50M DAU from the syllabus; peak 500M/86,400 x 3 = 17,361/s said as "about 17,000".
    assert "about 50 million daily users" in text
    assert "about 17,000 messages a second" in text
    for name, _job in fw.CHAT_DESIGN.parts:
        assert name in text
    for ext in fw.EXTENSIONS:
        assert ext.name[1:] in text
    assert "Given more time" not in fw.spoken_summary(with_extensions=False)


def test_spoken_summary_follows_the_scenario():
    smaller = fw.DesignSummary(
        "chat service",
        fw.estimate.Scenario("small", dau=2e6, per_user_per_day=10),
        parts=(("one server", "does everything"),),
        guarantee="it is simple",
        extensions=(),
    )
    text = fw.spoken_summary(smaller)
    # 2M x 10 / 86,400 x 3 = 694/s -> about 700
    assert "about 2 million daily users" in text and "about 700 messages" in text
    assert "Given more time" not in text
    with pytest.raises(TypeError, match="design must be a DesignSummary"):
        fw.spoken_summary("chat")


def test_fourteen_problems_in_three_tiers():
    table = fw.practice_problems()
    assert table["number"].tolist() == list(range(1, 15))
    # Syllabus, "Practice Problem List": warm-up 1-3 (30 min), core 4-8 (45), advanced 9-14 (60).
    assert table.groupby("tier")["number"].apply(list).to_dict() == {
        "warm-up": [1, 2, 3],
        "core": [4, 5, 6, 7, 8],
        "advanced": [9, 10, 11, 12, 13, 14],
    }
    assert dict(zip(fw.tiers()["key"], fw.tiers()["minutes"], strict=True)) == {
        "warm-up": 30,
        "core": 45,
        "advanced": 60,
    }
    assert fw.tiers()["problems"].sum() == 14
    assert set(table.loc[table["tier"] == "core", "minutes"]) == {45}


def test_problems_worked_through_in_the_course_point_at_real_lessons():
    slugs = {x.slug for x in course.LESSONS}
    table = fw.practice_problems()
    linked = table.loc[table["lesson"] != "", "lesson"]
    assert set(linked) <= slugs
    # Syllabus: lessons 11-14 cover the URL shortener, paste bin, rate limiter and news feed.
    assert {"11_url_shortener", "12_paste_bin", "13_rate_limiter", "14_news_feed"} <= set(linked)


def test_bad_tier():
    with pytest.raises(ValueError, match="tier must be one of 'warm-up', 'core', 'advanced'"):
        fw.practice_problems("expert")


# --------------------------------------------------------------------------------------------
# Clock helpers
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "00:00"),
        (59.99, "00:59"),
        (60, "01:00"),
        (300, "05:00"),
        (2700, "45:00"),
        (-90, "-01:30"),
        (200 - 1e-9, "03:20"),
    ],  # 5 min x 30/45 = 200 s, however the float lands
)
def test_format_clock(seconds, text):
    assert fw.format_clock(seconds) == text


def test_manual_clock():
    clock = ManualClock(10)
    clock.advance(2.5)
    assert clock() == 12.5
    with pytest.raises(ValueError, match="seconds must be a number >= 0"):
        clock.advance(-1)


# --------------------------------------------------------------------------------------------
# The phase timer
# --------------------------------------------------------------------------------------------


@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture
def timer(clock):
    return PhaseTimer(clock=clock)


def test_budgets_are_the_phase_minutes_in_seconds(timer):
    assert timer.budgets == (300, 300, 300, 900, 600, 300)  # 5, 5, 5, 15, 10, 5 minutes x 60
    assert timer.budget("architecture") == 900


def test_ready_timer_counts_nothing(timer, clock):
    clock.advance(100)
    assert timer.status == "ready" and timer.current is None
    assert timer.elapsed() == 0 and timer.total_elapsed() == 0
    assert not timer.is_over() and timer.warning() == ""
    assert set(timer.state()["status"]) == {"to do"}


def test_running_time_counts_towards_the_current_phase(timer, clock):
    timer.start()
    clock.advance(42)
    assert timer.status == "running" and timer.current.key == "requirements"
    assert timer.elapsed() == 42 and timer.elapsed("requirements") == 42 and timer.elapsed(2) == 0


def test_pause_stops_time_and_resume_restarts_it(timer, clock):
    timer.start()
    clock.advance(30)
    timer.pause()
    clock.advance(1000)
    assert timer.status == "paused" and timer.elapsed() == 30 and timer.total_elapsed() == 30
    timer.resume()
    clock.advance(5)
    assert timer.elapsed() == 35


def test_next_phase_moves_time_to_the_next_budget(timer, clock):
    timer.start()
    clock.advance(100)
    assert timer.next_phase().key == "estimation"
    clock.advance(50)
    assert timer.elapsed("requirements") == 100 and timer.elapsed("estimation") == 50
    assert timer.budget() == 300  # estimation's 5 minutes
    state = timer.state().set_index("key")
    assert state.loc["requirements", "status"] == "done" and state.loc["estimation", "status"] == "now"
    assert state.loc["architecture", "status"] == "to do"


def test_next_phase_while_paused_stays_paused(timer, clock):
    timer.start()
    clock.advance(10)
    timer.pause()
    timer.next_phase()
    clock.advance(60)
    assert timer.status == "paused" and timer.current.key == "estimation" and timer.elapsed() == 0


@pytest.mark.parametrize(
    ("seconds", "over"),
    [(299, False), (300, False), (300.001, True), (301, True)],  # budget: 5 minutes = 300 s
)
def test_overrun_flagged_exactly_when_elapsed_exceeds_budget(timer, clock, seconds, over):
    timer.start()
    clock.advance(seconds)
    assert timer.is_over() is over
    assert timer.overruns() == (("requirements",) if over else ())
    assert bool(timer.warning()) is over
    assert bool(timer.state().loc[0, "over"]) is over


def test_warning_names_the_overrun_and_the_next_phase(timer, clock):
    timer.start()
    clock.advance(390)  # 90 s past a 300 s budget
    assert timer.warning().startswith("Requirements and scope is 01:30 over its 05:00 budget")
    assert "back-of-envelope estimation" in timer.warning()
    timer.next_phase()
    assert timer.warning() == ""  # the new phase has its own budget
    assert timer.overruns() == ("requirements",)  # but the record stays


def test_last_phase_warning_and_finish(timer, clock):
    timer.start()
    for _ in range(5):
        timer.next_phase()
    clock.advance(301)
    assert timer.current.key == "wrap_up" and "finish the summary" in timer.warning()
    assert timer.next_phase() is None
    assert timer.status == "finished" and timer.current is None
    clock.advance(100)
    assert timer.total_elapsed() == 301


def test_full_run_on_budget(timer, clock):
    timer.start()
    for p in fw.PHASES:
        clock.advance(p.minutes * 60)
        timer.next_phase()
    assert timer.status == "finished" and timer.overruns() == ()
    assert timer.total_elapsed() == 45 * 60


def test_report_is_readable(timer, clock):
    timer.start()
    clock.advance(330)
    row = timer.report().iloc[0]
    assert (row["phase"], row["budget"], row["used"], row["left"], row["used %"], row["over"]) == (
        "1. Requirements and scope",
        "05:00",
        "05:30",
        "-00:30",
        "110 %",
        "OVER",  # 330/300 = 110 %
    )


def test_set_length_rescales_budgets_and_keeps_time(timer, clock):
    timer.start()
    clock.advance(250)
    assert not timer.is_over()
    timer.set_length(30)  # requirements: 5 x 30/45 = 200 s
    assert timer.budget() == pytest.approx(200)
    assert timer.elapsed() == 250 and timer.is_over()


def test_reset(timer, clock):
    timer.start()
    clock.advance(10)
    timer.reset()
    assert timer.status == "ready" and timer.total_elapsed() == 0


@pytest.mark.parametrize(
    ("setup", "action", "match"),
    [
        ([], "pause", "pause: the timer is ready; pause works only when it is running"),
        ([], "resume", "resume: the timer is ready"),
        ([], "next_phase", "next_phase: the timer is ready"),
        (["start"], "start", "start: the timer is running"),
        (["start"], "resume", "resume: the timer is running"),
        (["start", "pause"], "pause", "pause: the timer is paused"),
        (["start"] + ["next_phase"] * 6, "next_phase", "next_phase: the timer is finished"),
        (["start"] + ["next_phase"] * 6, "pause", "pause: the timer is finished"),
    ],
)
def test_actions_that_do_not_fit_the_state(timer, setup, action, match):
    for step in setup:
        getattr(timer, step)()
    with pytest.raises(ValueError, match=match):
        getattr(timer, action)()


def test_budget_of_no_phase(timer):
    with pytest.raises(ValueError, match="budget: there is no current phase while the timer is ready"):
        timer.budget()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"clock": 5}, TypeError, "clock must be a callable"),
        ({"length_minutes": 5}, ValueError, r"length_minutes must be a number in \[10, 180\]"),
        ({"length_minutes": "45"}, TypeError, "length_minutes"),
    ],
)
def test_bad_timer_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        PhaseTimer(**kwargs)


def test_clock_must_return_numbers_that_never_go_back():
    readings = iter([10.0, 5.0])
    timer = PhaseTimer(clock=lambda: next(readings))
    timer.start()
    with pytest.raises(ValueError, match="clock went backwards"):
        timer.pause()
    with pytest.raises(TypeError, match="clock must return seconds as a number"):
        PhaseTimer(clock=lambda: "now").start()


def test_default_clock_is_real_time():
    timer = PhaseTimer()
    timer.start()
    assert 0 <= timer.elapsed() < 5


ACTIONS = st.lists(
    st.one_of(
        st.sampled_from(["start", "pause", "resume", "next_phase", "reset"]),
        st.floats(min_value=0, max_value=2000, allow_nan=False),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(ACTIONS)
def test_timer_invariants_under_any_sequence(steps):
    """Whatever is pressed: time counts only while running, and always towards the current phase."""
    clock = ManualClock()
    timer = PhaseTimer(clock=clock)
    expected = [0.0] * 6  # a model of the timer, kept by hand
    for step in steps:
        before = timer.status
        if isinstance(step, float):
            if before == "running":
                expected[timer.current.number - 1] += step
            clock.advance(step)
        else:
            try:
                getattr(timer, step)()
            except ValueError:
                assert step != "reset"
                assert timer.status == before  # a refused action changes nothing
            else:
                if step == "reset":
                    expected = [0.0] * 6
        used = [timer.elapsed(p.key) for p in fw.PHASES]
        assert used == pytest.approx(expected)
        state = timer.state()
        assert state["used_s"].tolist() == pytest.approx(expected)
        assert timer.total_elapsed() == pytest.approx(sum(expected))
        assert timer.overruns() == tuple(
            p.key for p, u, b in zip(fw.PHASES, used, timer.budgets, strict=True) if u > b
        )
        assert (state["status"] == "now").sum() == (1 if timer.status in ("running", "paused") else 0)


def test_wrap_up_elements_end_with_extensions():
    assert fw.wrap_up_elements()["element"].tolist() == [
        "problem and scale",
        "main parts",
        "the key requirement",
        "extensions",
    ]


@pytest.mark.parametrize(
    ("words", "pace", "minutes"), [(150, 150, 1.0), (75, 150, 0.5), (300, 100, 3.0), (0, 150, 0.0)]
)
def test_speaking_minutes(words, pace, minutes):
    assert fw.speaking_minutes(" ".join(["word"] * words), pace) == pytest.approx(minutes)  # words / pace


def test_speaking_minutes_bad_input():
    with pytest.raises(ValueError, match=r"words_per_minute must be a number in \[60, 300\]"):
        fw.speaking_minutes("hi", 10)
    with pytest.raises(TypeError, match="text must be a string"):
        fw.speaking_minutes(None)


def test_the_chat_summary_fits_the_wrap_up():
    # The spoken summary must leave room for questions inside the 5-minute wrap-up (syllabus).
    assert fw.speaking_minutes(fw.spoken_summary()) < fw.phase("wrap_up").minutes / 2


def test_every_problem_from_5_on_names_toolbox_lessons_of_the_course():
    slugs = {x.slug for x in course.LESSONS}
    table = fw.practice_problems().set_index("number")
    for number in range(5, 15):
        named = [s for s in table.loc[number, "toolbox"].split(", ") if s]
        assert named, f"problem {number} names no toolbox lesson"
        assert set(named) <= slugs
