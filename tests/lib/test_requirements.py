"""Requirements: the chat contract, what each choice implies, proposing numbers, and the explorer."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign import requirements as rq

CONTRACT = rq.CHAT_CONTRACT


def _implies(contract: rq.Contract, requirement: str) -> str:
    return contract.implications().set_index("requirement").loc[requirement, "implies"]


# --- the agreed contract (syllabus, phase 1) ---


def test_chat_contract_holds_the_syllabus_numbers():
    # Syllabus non-functional list: 50M DAU, 500M messages/day, < 500 ms, 99.99 %, zero loss, per-chat order.
    assert CONTRACT.dau == 50e6
    assert CONTRACT.traffic().per_day == pytest.approx(500e6)
    assert CONTRACT.latency_ms == 500
    assert CONTRACT.availability == 0.9999
    assert CONTRACT.durability == "zero-loss"
    assert CONTRACT.ordering == "per-chat"
    # Syllabus functional list: groups of up to 500, text + images, history, read receipts, push.
    assert CONTRACT.max_group == 500
    assert set(CONTRACT.features) == {
        "one_to_one",
        "groups",
        "text",
        "images",
        "history",
        "read_receipts",
        "push",
    }


def test_kinds_split_five_functional_topics_from_five_non_functional():
    functional, non_functional = rq.split(CONTRACT.requirements())
    assert {r.kind for r in functional} == {"functional"}
    assert [r.topic for r in non_functional] == ["scale", "latency", "availability", "durability", "ordering"]
    assert len(functional) == len(CONTRACT.features)


def test_render_is_markdown_with_both_lists():
    text = CONTRACT.render()
    assert text.startswith("## Agreed requirements")
    assert "**Functional**" in text and "**Non-functional**" in text
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == len(CONTRACT.features) + 5
    assert "Group conversations of up to 500 members" in text
    assert "500 million messages a day" in text  # 50 M x 10
    assert "99.99% uptime" in text


def test_render_without_features_says_so():
    assert "no features chosen" in rq.Contract(features=()).render()


def test_clarifications_cover_every_non_functional_topic():
    settled = {topic for c in rq.CHAT_CLARIFICATIONS for topic in c.settles}
    assert {"scale", "latency", "availability", "durability", "ordering"} <= settled
    table = rq.clarifications()
    assert list(table.columns) == ["question", "answer", "settles"]
    assert all(q.endswith("?") for q in table["question"])


# --- implications: availability -> downtime budget ---


@pytest.mark.parametrize(
    ("level", "year_text", "month_text"),
    [
        # Syllabus availability table: 99 % 3.65 days, 99.9 % 8.76 hours, 99.99 % 52.6 min, 99.999 % 5.26 min.
        # The course's month is 30 days = 720 h (units): 1 % of it 7.2 h; 0.1 % 43.2 min; 0.01 % 4.32 min;
        # 0.001 % 25.9 s.
        (0.99, "3.65 days", "7.2 hours"),
        (0.999, "8.76 hours", "43.2 minutes"),
        (0.9999, "52.6 minutes", "4.32 minutes"),
        (0.99999, "5.26 minutes", "25.9 seconds"),
    ],
)
def test_availability_implies_the_downtime_budget(level, year_text, month_text):
    contract = rq.Contract(availability=level)
    text = _implies(contract, "Availability")
    assert text.startswith(f"Downtime budget: {year_text} a year, {month_text} a month")


def test_more_nines_never_allow_more_downtime():
    levels = [0.99, 0.995, 0.999, 0.9995, 0.9999, 0.99999]
    budgets = [rq.Contract(availability=a).downtime("year") for a in levels]
    assert budgets == sorted(budgets, reverse=True)


# --- implications: latency -> round trips ---


@pytest.mark.parametrize(
    ("budget_ms", "fits"),
    [
        # 500 ms / 0.5 ms = 1,000 in a datacenter; 500 / 70 = 7.1 -> 7 coast to coast (measured 70 ms);
        # 500 / 80 = 6.25 -> 6 to Europe.
        (500, [1000, 7, 6]),
        # 100 ms: 200 in a datacenter, 1 coast to coast, 1 to Europe.
        (100, [200, 1, 1]),
        # 50 ms: 100, and not even one round trip across the US or the Atlantic.
        (50, [100, 0, 0]),
    ],
)
def test_round_trips_that_fit(budget_ms, fits):
    assert rq.round_trips(budget_ms)["fits"].tolist() == fits


def test_latency_implication_names_the_counts():
    text = _implies(CONTRACT, "Latency")
    assert "1,000 x within a datacenter" in text
    assert "6 x US to Europe" in text


@given(st.floats(min_value=1, max_value=10_000))
def test_round_trips_never_exceed_the_budget(budget_ms):
    table = rq.round_trips(budget_ms)
    used = table["fits"] * table["round_trip_s"]
    assert (used <= budget_ms / 1e3 * (1 + 1e-9)).all()
    assert ((table["fits"] + 1) * table["round_trip_s"] > budget_ms / 1e3).all()


# --- implications: scale -> QPS ---


def test_scale_implies_average_and_peak_qps():
    # Syllabus: 500M / 86,400 = ~5,800 average, 3x peak ~17,400 (5,787.04 and 17,361.1 unrounded).
    text = _implies(CONTRACT, "Scale")
    assert "5,787 messages/s on average" in text
    assert "17,361 at peak (3x)" in text
    # 17,361 / 10,000 writes/s per database server (syllabus: 5K-10K QPS) -> 2 servers.
    assert "2 servers for writes alone" in text


def test_small_scale_needs_one_server():
    text = _implies(rq.Contract(dau=1e6, per_user_per_day=10), "Scale")
    # 10M/day / 86,400 x 3 = 347 peak: one server.
    assert "1 server for writes alone." in text


# --- implications: durability and ordering ---


def test_durability_and_ordering_consequences():
    assert "before acknowledging" in _implies(CONTRACT, "Durability")
    assert "sequence number per conversation" in _implies(CONTRACT, "Ordering")
    assert "single point of failure" in _implies(rq.Contract(ordering="global"), "Ordering")
    assert "clock skew" in _implies(rq.Contract(ordering="none"), "Ordering")
    assert "crash can drop" in _implies(rq.Contract(durability="best-effort"), "Durability")


def test_group_fanout_follows_max_group():
    assert "reaches 99 other members" in _implies(rq.Contract(max_group=100), "Feature: groups")


def test_alternatives_lists_every_option():
    assert rq.CHAT_CONTRACT.alternatives("durability")["option"].tolist() == ["zero-loss", "best-effort"]
    years = rq.CHAT_CONTRACT.alternatives("availability")["implies"].str.extract(r"budget: ([^,]+) a year")[0]
    assert years.tolist() == ["3.65 days", "8.76 hours", "52.6 minutes", "5.26 minutes"]


# --- proposing numbers ---


@pytest.mark.parametrize(
    ("product", "share", "dau", "per_user", "per_day"),
    [
        # WhatsApp 2B MAU, 100B messages/day (syllabus): 2.5 % of 2B = 50M; 100B / 2B = 50 each; 2.5B a day.
        ("WhatsApp", 0.025, 50e6, 50, 2.5e9),
        # Twitter 300M MAU, 500M tweets/day: 10 % = 30M; 500/300 = 1.67 -> 1.7 said aloud; 51M a day.
        ("Twitter", 0.1, 30e6, 1.7, 51e6),
    ],
)
def test_suggest_scale(product, share, dau, per_user, per_day):
    s = rq.suggest_scale(product, share)
    assert (s.dau, s.per_user_per_day) == pytest.approx((dau, per_user))
    assert s.per_day == pytest.approx(per_day)
    assert s.sentence().endswith("Does that sound reasonable?")
    assert s.contract().dau == pytest.approx(dau)


# --- bad input names the parameter ---


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"availability": 1.0}, r"availability must be a number in \(0, 1\)"),
        ({"availability": 0}, r"availability must be a number in \(0, 1\)"),
        ({"latency_ms": 0}, "latency_ms must be a number > 0"),
        ({"dau": -5}, "dau must be a number >= 0"),
        ({"per_user_per_day": math.nan}, "per_user_per_day must be a number"),
        ({"durability": "mostly"}, "durability must be one of 'zero-loss', 'best-effort'"),
        ({"ordering": "random"}, "ordering must be one of 'per-chat', 'global', 'none'"),
        ({"features": ("teleport",)}, r"features\[0\] must be one of"),
        ({"max_group": 1}, "max_group must be a number >= 2"),
        ({"peak_factor": 0.5}, "peak_factor must be a number >= 1"),
    ],
)
def test_contract_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        rq.Contract(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"features": "text"}, "features must be a list"),
        ({"max_group": 2.5}, "max_group must be a whole number"),
    ],
)
def test_contract_rejects_wrong_types(kwargs, message):
    with pytest.raises(TypeError, match=message):
        rq.Contract(**kwargs)


def test_other_bad_inputs():
    with pytest.raises(ValueError, match="kind must be one of 'functional', 'non-functional'"):
        rq.Requirement("fast", "important")
    with pytest.raises(ValueError, match="budget_ms must be a number > 0"):
        rq.round_trips(0)
    with pytest.raises(ValueError, match="product must be one of 'Twitter', 'WhatsApp'"):
        rq.suggest_scale("Uber")
    with pytest.raises(ValueError, match=r"share must be a number in \(0, 1\]"):
        rq.suggest_scale("WhatsApp", 0)
    with pytest.raises(ValueError, match="choice must be one of"):
        CONTRACT.alternatives("colour")
    with pytest.raises(TypeError, match=r"requirements\[0\] must be a Requirement"):
        rq.requirements_table(["fast"])


# --- property: any valid contract renders and implies without error ---

contracts = st.builds(
    rq.Contract,
    features=st.lists(st.sampled_from(list(rq.FEATURES)), unique=True).map(tuple),
    max_group=st.integers(2, 100_000),
    dau=st.floats(0, 5e9),
    per_user_per_day=st.floats(0, 1_000),
    latency_ms=st.floats(1, 60_000),
    availability=st.sampled_from([0.9, 0.99, 0.995, 0.999, 0.9995, 0.9999, 0.99999, 0.999999]),
    durability=st.sampled_from(list(rq.DURABILITY)),
    ordering=st.sampled_from(list(rq.ORDERING)),
)


@settings(max_examples=40, deadline=None)
@given(contracts)
def test_any_contract_renders_and_implies(contract):
    table = contract.implications()
    assert len(table) == 5 + len(contract.features)
    assert table["implies"].str.len().min() > 10
    assert contract.render().count("\n- ") == max(1, len(contract.features)) + 5


# --- the explorer ---


def _view(explorer, css):
    return next(c for c in explorer.children if css in c._dom_classes)


def test_contract_builder_updates_the_downtime_budget():
    from sysdesign.widgets.requirements import contract_builder

    explorer = contract_builder()
    table = _view(explorer, "sd-contract-implications")
    assert "52.6 minutes a year" in table.value
    explorer.controls["availability"].value = 0.999
    assert "8.76 hours a year" in table.value  # syllabus: 99.9 % -> 8.76 hours/year
    assert explorer.status.value == ""
    explorer.controls["latency_ms"].value = 100
    assert "200 x within a datacenter" in table.value
    explorer.controls["features"].value = ("text",)
    text = _view(explorer, "sd-contract-text").value
    assert re.search(r"Functional.*\n\n- Text messages\n\n\*\*Non-functional", text)
