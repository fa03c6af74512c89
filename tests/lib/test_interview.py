"""The mock interview that talks back: scripted walks, probes, pushback, scores, levels, bad input.

Expected points and levels are derived here from the rubric's stated rules (the module docstring of
``sysdesign.interview``): 1 point per item, phases weighted by their minutes (5, 5, 5, 15, 10, 5 of
45, the syllabus's plan), depth = architecture and deep dive, and the level cut-offs of LEVEL_RULES.
"""

from __future__ import annotations

import pytest
from sysdesign import framework
from sysdesign import interview as iv
from sysdesign.interview import Interview, model_answers, run, suggest_level

MINUTES = {"requirements": 5, "estimation": 5, "api": 5, "architecture": 15, "deep_dive": 10, "wrap_up": 5}
"""The syllabus's 45-minute plan (seed: Phase 1-6)."""


def weighted(shares: dict[str, float], phases: tuple[str, ...] = tuple(MINUTES)) -> float:
    return sum(shares[p] * MINUTES[p] for p in phases) / sum(MINUTES[p] for p in phases)


def rules_fired(interview: Interview, kind: str | None = None) -> list[str]:
    return [p.rule for r in interview.results.values() for p in r.probes if kind is None or p.kind == kind]


def earned(interview: Interview) -> dict[str, tuple[int, int]]:
    return {
        k: (sum(i.earned for i in r.items), sum(i.possible for i in r.items))
        for k, r in interview.results.items()
    }


# ------------------------------------------------------------------------------------------ answers
CHAT_WEAK = {
    "requirements": {"features": ["one_to_one", "text", "calls"], "qualities": ["never_lost", "available"]},
    # 6k is the average (500 M / 86,400 = 5,787), 164 TB the text alone, 5,000 servers = every user online
    "estimation": {"peak_qps": "6k", "storage": "164 TB", "ws_servers": 5000},
    "api": {
        "endpoints": [
            "POST /api/v1/messages {chat_id, content} -> {message_id}",
            "GET /api/v1/messages/new?since=  # poll every 2 seconds for new messages",
        ]
    },
    "architecture": {"store": "relational", "store_nodes": 1, "ack": "push_first"},
    "deep_dive": {"shard_key": "user_id", "write_quorum": 1, "read_quorum": 1},
    "wrap_up": {"summary": "We built a chat app with a database.", "extensions": []},
}

SNIP_WEAK = {
    "requirements": {
        "features": ["shorten", "redirect", "preview"],
        "qualities": ["fast", "realtime_clicks"],
    },
    # 3k is the average (8 billion redirects / 2.59 M s = 3,086), 195 GB one year of links
    "estimation": {"peak_redirects": "3k", "storage": "195 GB", "total_links": "500 million"},
    "api": {"endpoints": "POST /api/v1/createLink {long_url} -> {code}"},
    "architecture": {"store": "in_memory", "store_nodes": 1, "cache": "none", "redirect": "301"},
    "deep_dive": {"codes": "counter", "code_length": 5, "write_quorum": 1, "read_quorum": 1},
    "wrap_up": {"summary": "It shortens links.", "extensions": ["QR codes"]},
}


# ------------------------------------------------------------------------------------ strong walks
@pytest.mark.parametrize("system", ["chat", "snip"])
def test_model_answers_earn_every_point_and_staff(system):
    """The model answers meet every rule: full marks, no pushback, and so the staff level."""
    walk = run(system, model_answers(system))
    card = walk.scorecard()
    assert all(e == p for e, p in earned(walk).values())
    assert card.overall == pytest.approx(1.0) and card.depth == pytest.approx(1.0)
    assert card.pushbacks == 0 and rules_fired(walk, "pushback") == []
    assert card.level == "staff"


def test_strong_chat_gets_the_deeper_probes():
    """Right answers still draw questions, the ones a strong candidate earns: the table layout of a
    wide-column store, and the hot shard that chat_id sharding makes."""
    walk = run("chat", model_answers("chat"))
    assert rules_fired(walk) == ["partition-layout", "hot-chat"]
    hot = walk.results["deep_dive"].probes[0]
    assert "16 shards" in hot.model and "busiest carries" in hot.model


# -------------------------------------------------------------------------------------- weak walks
def test_weak_chat_scores_and_level():
    """Points by the rules: requirements 1/4 (only 'no over-specified target' holds), estimation 0/3
    (each figure is a typical slip), API 0/3 (missing operations, polling, 2 endpoints),
    architecture 1/3 (a relational store keeps history on disk), deep dive 0/3, wrap-up 0/3."""
    walk = run("chat", CHAT_WEAK)
    expected = {
        "requirements": (1, 4),
        "estimation": (0, 3),
        "api": (0, 3),
        "architecture": (1, 3),
        "deep_dive": (0, 3),
        "wrap_up": (0, 3),
    }
    assert earned(walk) == expected
    shares = {k: e / p for k, (e, p) in expected.items()}
    card = walk.scorecard()
    assert card.overall == pytest.approx(weighted(shares))  # (1/4 x 5 + 1/3 x 15) / 45 = 0.139
    assert card.depth == pytest.approx(weighted(shares, ("architecture", "deep_dive")))  # 5 / 25
    assert card.level == "below mid"  # overall < 0.50
    assert card.pushbacks == 3


def test_weak_chat_probes_follow_the_decisions():
    """Each slip gets its own question; the contradictions with 'never lost' and with the learner's
    own estimate are pushbacks; the rest are probes."""
    walk = run("chat", CHAT_WEAK)
    assert rules_fired(walk, "pushback") == [
        "nodes-vs-estimate",
        "push-first-vs-durability",
        "w1-vs-durability",
    ]
    probes = rules_fired(walk, "probe")
    for rule in (
        "scope-creep",
        "peak_qps-slip",
        "storage-slip",
        "ws_servers-slip",
        "polling",
        "sql-write-rate",
        "user-id-fanout",
        "stale-reads",
    ):
        assert rule in probes
    assert "missing-operation" in probes and "partition-layout" not in probes and "hot-chat" not in probes


def test_user_id_probe_counts_shards_with_the_sharding_simulation():
    """Chat history keyed by user_id is a scatter-gather over every shard (sim.sharding); with one
    store node the probe uses the 4 shards the model estimate needs (17,361 / 5,000, rounded up)."""
    from sysdesign.sim import sharding

    walk = run("chat", CHAT_WEAK)
    probe = next(p for p in walk.results["deep_dive"].probes if p.rule == "user-id-fanout")
    fan = sharding.shards_touched("user_id", "chat_history", 4)
    assert "With 4 shards" in probe.text and f"All {fan.touched}" in probe.model and fan.touched == 4


def test_w1_probe_asks_where_the_message_is():
    walk = run("chat", CHAT_WEAK)
    pushback = next(p for p in walk.results["deep_dive"].probes if p.rule == "w1-vs-durability")
    assert "acknowledged a message and died" in pushback.text and "Where is the message?" in pushback.text
    assert pushback.contradicts == ("qualities",)


def test_weak_snip_scores_zero_and_no_pushback():
    """Snip's weak answers miss every item; they promise neither click counts, nor unguessable codes,
    nor durable links, and the 1 shard matches their own (wrong) 3k estimate: no contradiction, so
    every follow-up is a probe."""
    walk = run("snip", SNIP_WEAK)
    assert all(e == 0 for e, _ in earned(walk).values())
    card = walk.scorecard()
    assert card.overall == 0 and card.level == "below mid" and card.pushbacks == 0
    probes = rules_fired(walk, "probe")
    for rule in (
        "scope-creep",
        "realtime-clicks",
        "guessable",
        "peak_redirects-slip",
        "storage-slip",
        "total_links-off",
        "no-cache",
        "counter",
        "short-code",
        "w1",
        "stale-reads",
    ):
        assert rule in probes


def test_strong_and_weak_get_different_probes():
    for system, weak in (("chat", CHAT_WEAK), ("snip", SNIP_WEAK)):
        strong = set(rules_fired(run(system, model_answers(system))))
        assert strong and strong.isdisjoint(rules_fired(run(system, weak)))


# ---------------------------------------------------------------------------- pushback exactly when
def _chat_with(**changes):
    answers = {p: dict(a) for p, a in model_answers("chat").items()}
    for key, value in changes.items():
        phase = next(p for p, a in answers.items() if key in a)
        answers[phase][key] = value
    return run("chat", answers)


@pytest.mark.parametrize(
    ("changes", "pushbacks"),
    [
        ({}, []),
        ({"write_quorum": 1, "read_quorum": 3}, ["w1-vs-durability"]),  # kept 'never lost'
        ({"write_quorum": 1, "read_quorum": 3, "qualities": ["fast", "available", "ordered"]}, []),
        ({"ack": "push_first"}, ["push-first-vs-durability"]),
        ({"ack": "push_first", "qualities": ["fast", "available", "ordered"]}, []),
        ({"write_quorum": 3, "read_quorum": 1}, ["wn-vs-availability"]),  # kept 99.99 %
        ({"write_quorum": 3, "read_quorum": 1, "qualities": ["never_lost", "fast", "ordered"]}, []),
        ({"store_nodes": 3}, ["nodes-vs-estimate"]),  # own 17,361/s needs 4 shards at 5,000 each
        ({"store_nodes": 3, "peak_qps": "15k"}, []),  # 15,000 / 5,000 = 3: consistent with the estimate
        ({"endpoints": model_answers("chat")["api"]["endpoints"][:3]}, ["kept-feature-no-endpoint"] * 2),
    ],
)
def test_chat_pushback_exactly_when_an_answer_contradicts_an_earlier_one(changes, pushbacks):
    """The same later decision is a pushback after a promise it breaks, and only a probe (or nothing)
    without that promise."""
    assert rules_fired(_chat_with(**changes), "pushback") == pushbacks


def test_pushback_without_the_promise_is_a_probe():
    walk = _chat_with(write_quorum=1, read_quorum=3, qualities=["fast", "available", "ordered"])
    assert "w1" in rules_fired(walk, "probe")


@pytest.mark.parametrize(
    ("arch", "deep", "features", "qualities", "pushbacks"),
    [
        ({"redirect": "301"}, {}, None, None, ["301-vs-clicks"]),
        ({"redirect": "301"}, {}, ["shorten", "redirect", "alias"], None, []),
        ({}, {"codes": "ranges"}, None, None, ["counter-vs-unguessable"]),
        ({}, {"codes": "ranges"}, None, ["fast", "available", "durable"], []),
        ({"cache": "none", "store_nodes": 2}, {}, None, None, ["nodes-vs-estimate"]),  # 12,346/s, 3 shards
    ],
)
def test_snip_pushback_exactly_when_contradicting(arch, deep, features, qualities, pushbacks):
    answers = {p: dict(a) for p, a in model_answers("snip").items()}
    answers["architecture"].update(arch)
    answers["deep_dive"].update(deep)
    if features is not None:
        answers["requirements"]["features"] = features
    if qualities is not None:
        answers["requirements"]["qualities"] = qualities
    assert rules_fired(run("snip", answers), "pushback") == pushbacks


# ------------------------------------------------------------------------------------------ levels
def test_one_pushback_keeps_a_strong_answer_at_senior():
    """W = 3, R = 1 after promising 99.99 %: deep dive 2/3 (R + W > N still holds), one pushback.
    Overall (45 - 10/3) / 45 = 0.93 and depth (15 + 20/3) / 25 = 0.87 clear staff's shares, but staff
    allows no pushback: senior."""
    card = _chat_with(write_quorum=3, read_quorum=1).scorecard()
    assert card.overall == pytest.approx((45 - 10 / 3) / 45)
    assert card.depth == pytest.approx((15 + 10 * 2 / 3) / 25)
    assert card.pushbacks == 1 and card.level == "senior"


@pytest.mark.parametrize(
    ("overall", "depth", "pushbacks", "level"),
    [
        (1.0, 1.0, 0, "staff"),
        (0.85, 0.85, 0, "staff"),
        (0.85, 0.84, 0, "senior"),
        (0.95, 0.95, 1, "senior"),
        (0.70, 0.60, 1, "senior"),
        (0.70, 0.59, 0, "mid"),
        (0.95, 0.95, 2, "mid"),
        (0.50, 0.0, 5, "mid"),
        (0.49, 1.0, 0, "below mid"),
    ],
)
def test_level_thresholds(overall, depth, pushbacks, level):
    """The stated cut-offs: staff 0.85/0.85/no pushback, senior 0.70/0.60/<= 1, mid 0.50."""
    assert suggest_level(overall, depth, pushbacks) == level


# ------------------------------------------------------------------------------------ determinism
@pytest.mark.parametrize(("system", "answers"), [("chat", CHAT_WEAK), ("snip", SNIP_WEAK)])
def test_same_answers_same_transcript(system, answers):
    first, second = run(system, answers), run(system, answers)
    assert first.transcript() == second.transcript()
    assert first.scorecard() == second.scorecard()


def test_resubmitting_a_phase_drops_the_later_ones():
    walk = run("chat", model_answers("chat"))
    walk.submit("estimation", CHAT_WEAK["estimation"])
    assert walk.next_phase == "api" and not walk.finished


def test_estimates_count_within_a_factor_of_one_and_a_half():
    """17,361/s is the seed's 500 M messages/day over 86,400 s at a 3x peak."""
    peak = 500e6 / 86_400 * 3
    for value, ok in ((peak * 1.5, 1), (peak / 1.5, 1), (peak * 1.6, 0), (peak / 1.6, 0)):
        answers = dict(model_answers("chat")["estimation"], peak_qps=value)
        walk = Interview("chat")
        walk.submit("requirements", model_answers("chat")["requirements"])
        items = {i.key: i.earned for i in walk.submit("estimation", answers).items}
        assert items["peak_qps"] == ok


# ------------------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("phase", "answers", "match"),
    [
        ("requirements", {"features": ["video"], "qualities": []}, "features must be a list of any of"),
        ("requirements", {"features": "text", "qualities": []}, "features must be a list"),
        ("requirements", {"features": []}, "missing: qualities"),
        ("requirements", {"features": [], "qualities": [], "scale": 1}, "unknown: scale"),
        ("estimation", {"features": []}, "submit the phases in order"),
    ],
)
def test_bad_requirements_input(phase, answers, match):
    with pytest.raises(ValueError, match=match):
        Interview("chat").submit(phase, answers)


@pytest.mark.parametrize(
    ("key", "value", "match"),
    [
        ("peak_qps", "lots", "peak_qps must be a number >= 0"),
        ("peak_qps", -5, "peak_qps must be a number >= 0"),
        ("storage", "18 parsecs", "storage must be a size"),
        ("ws_servers", 1.5, r"ws_servers must be a whole number in \[0, 10000000\]"),
        ("ws_servers", True, "ws_servers must be a whole number"),
    ],
)
def test_bad_estimation_input(key, value, match):
    walk = Interview("chat")
    walk.submit("requirements", model_answers("chat")["requirements"])
    with pytest.raises(ValueError, match=match):
        walk.submit("estimation", dict(model_answers("chat")["estimation"], **{key: value}))


def test_bad_later_input():
    walk = run("chat", {p: model_answers("chat")[p] for p in ("requirements", "estimation")})
    with pytest.raises(ValueError, match="endpoints must be endpoint lines"):
        walk.submit("api", {"endpoints": "FETCH /messages"})
    walk.submit("api", model_answers("chat")["api"])
    with pytest.raises(ValueError, match="store must be one of 'wide_column'"):
        walk.submit("architecture", {"store": "mongo", "store_nodes": 4, "ack": "persist_first"})
    with pytest.raises(ValueError, match=r"store_nodes must be a whole number in \[1, 10000\]"):
        walk.submit("architecture", {"store": "relational", "store_nodes": 0, "ack": "persist_first"})
    with pytest.raises(ValueError, match="scorecard: submit all six phases first"):
        walk.scorecard()


def test_bad_system_and_level_arguments():
    with pytest.raises(ValueError, match="system must be one of 'chat', 'snip'"):
        Interview("twitter")
    with pytest.raises(ValueError, match=r"overall must be a share in \[0, 1\]"):
        suggest_level(1.2, 0.5, 0)
    with pytest.raises(ValueError, match="pushbacks must be a whole number"):
        suggest_level(0.5, 0.5, -1)


def test_every_decision_has_a_model_answer_it_accepts():
    for system in iv.SYSTEMS.values():
        assert [d.phase for d in system.decisions] == sorted(
            (d.phase for d in system.decisions), key=framework.PHASE_KEYS.index
        )
        for d in system.decisions:
            d.parse(system.model[d.key])


# ---------------------------------------------------------------------------------------- widget
def test_widget_walks_one_phase_and_shows_the_probe():
    from sysdesign.widgets.interview import interview_widget

    w = interview_widget("chat", clock=framework.ManualClock())
    w.press("Submit phase")  # nothing ticked: a valid, empty contract
    assert w.status.value == ""
    w.fill(
        {"features": [*iv.CHAT_AGREED, "calls"], "qualities": ["never_lost", "fast", "available", "ordered"]}
    )
    w.press("Submit phase")
    said = [box.children[0].value for box in w.probes.children]
    assert len(said) == 1 and "Voice and video calls" in said[0]
    w.press("Go to the next phase")
    w.press("Submit phase")  # empty numbers are refused, with the decision named
    assert "peak_qps must be a number" in w.status.value and w.interview.next_phase == "estimation"
