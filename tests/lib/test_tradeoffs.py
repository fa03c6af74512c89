"""The tradeoff template, its checker, the five classics, and the two sized tradeoffs.

Sources of expected numbers: the syllabus cheat sheet (one relational node 5K-10K QPS, one
application server 1K-10K requests/s, a same-datacenter round trip 500 µs), the chat estimate
(500 M messages a day, 3x peak), and the arithmetic written next to each case.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sysdesign import tradeoffs
from sysdesign.tradeoffs import (
    CLASSICS,
    Tradeoff,
    check_template,
    checklist,
    consistency_for,
    lean,
    network_hops,
    node_write_limit,
    scaling_servers,
    shards_needed,
)

# --- the template ---------------------------------------------------------------------------


def test_say_renders_every_part():
    t = Tradeoff("Kafka", "RabbitMQ", "we replay old events", "more brokers to run", "a managed service")
    assert t.say() == (
        "I'd pick Kafka over RabbitMQ because we replay old events. "
        "The price: more brokers to run. To soften it: a managed service."
    )


@pytest.mark.parametrize("key", list(CLASSICS))
def test_every_classic_passes_its_own_checker(key):
    assert check_template(CLASSICS[key].say()).complete


def test_classics_are_five_and_tabled():
    table = tradeoffs.classics()
    assert len(table) == 5 and list(CLASSICS) == [
        "consistency_vs_availability",
        "sql_vs_nosql",
        "push_vs_pull",
        "cache_aside_vs_write_through",
        "monolith_vs_microservices",
    ]
    assert table.notna().all().all()


def test_chat_and_banking_flip():
    chat, bank = consistency_for("chat"), consistency_for("banking")
    assert "available" in chat.choice and chat.over == "strong consistency"
    assert bank.choice == "strong consistency" and bank.over == "availability"


CHECKS = [
    # (answer, choice_and_reason, cost, mitigation)
    ("I'd use Kafka.", False, False, False),  # a choice with no reason
    ("We went with Postgres because we need joins.", True, False, False),
    (
        "Postgres, since we need joins. The downside is vertical scaling.",
        False,
        True,
        False,
    ),  # no choice verb
    (
        "I chose Cassandra over MySQL because writes dominate. The tradeoff is no joins; "
        "we mitigate that by keeping profiles in MySQL.",
        True,
        True,
        True,
    ),
    (
        "Prefer cache-aside as it caches only what is read; the cost is a miss after each write.",
        True,
        True,
        False,
    ),
    ("The drawback is extra latency, which a local cache could offset.", False, True, True),
]


@pytest.mark.parametrize(("text", "choice", "cost", "mitigation"), CHECKS)
def test_checker_finds_the_parts(text, choice, cost, mitigation):
    found = check_template(text)
    assert (found.choice_and_reason, found.cost, found.mitigation) == (choice, cost, mitigation)
    expected_missing = tuple(
        name
        for name, ok in (("choice_and_reason", choice), ("cost", cost), ("mitigation", mitigation))
        if not ok
    )
    assert found.missing == expected_missing


def test_checker_feedback():
    assert check_template("").feedback().startswith("Missing: say what you picked")
    assert "All three parts" in check_template(CLASSICS["push_vs_pull"].say()).feedback()
    assert check_template(CLASSICS["push_vs_pull"].say()).evidence[0][0] == "choice_and_reason"


@pytest.mark.parametrize("field", ["choice", "over", "because", "cost", "mitigation"])
def test_tradeoff_needs_every_part(field):
    parts = dict(choice="a", over="b", because="c", cost="d", mitigation="e")
    parts[field] = "  "
    with pytest.raises(ValueError, match=rf"^{field} must be a non-empty string"):
        Tradeoff(**parts)


def test_checker_needs_text():
    with pytest.raises(TypeError, match="^text must be a string"):
        check_template(None)  # type: ignore[arg-type]


# --- SQL vs NoSQL sizing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("component", "figure", "expected"),
    [
        ("MySQL server (simple queries)", "low", 5_000),  # cheat sheet: 5K-10K QPS
        ("MySQL server (simple queries)", "high", 10_000),
        ("Redis node", "high", 100_000),  # "100K+": the high figure falls back to 100K
        ("Application server (API)", "low", 1_000),  # 1K-10K requests/s
    ],
)
def test_node_limits_come_from_the_cheat_sheet(component, figure, expected):
    assert node_write_limit(component, figure) == expected


CHAT_PEAK = 500e6 / 86_400 * 3  # 500 M messages a day over 86,400 s, times a 3x peak = 17,361.1/s

SHARDS = [
    # (write rate, per-node limit, utilisation, shards) with the arithmetic
    (CHAT_PEAK, None, 1.0, 4),  # 17,361 / 5,000 = 3.47 -> 4
    (CHAT_PEAK, 10_000, 1.0, 2),  # 17,361 / 10,000 = 1.74 -> 2
    (CHAT_PEAK, 5_000, 0.5, 7),  # 17,361 / 2,500 = 6.94 -> 7
    (5_000, 5_000, 1.0, 1),  # exactly one node's worth
    (5_001, 5_000, 1.0, 2),  # one write over -> a second node
    (100_000, 10_000, 1.0, 10),  # 100,000 / 10,000 = 10
    (0, 5_000, 1.0, 1),  # no writes still needs a node
    (500, 5_000, 0.7, 1),
]


@pytest.mark.parametrize(("rate", "limit", "use", "shards"), SHARDS)
def test_shards_needed(rate, limit, use, shards):
    sizing = shards_needed(rate, limit, utilisation=use)
    assert sizing.shards == shards
    assert sizing.load_per_shard == pytest.approx(rate / shards)


@given(rate=st.floats(0, 1e7), limit=st.floats(1, 1e6))
def test_shards_are_the_rounded_up_quotient(rate, limit):
    shards = shards_needed(rate, limit).shards
    assert shards * limit >= rate * (1 - 1e-12)  # enough nodes ...
    assert shards == 1 or (shards - 1) * limit < rate  # ... and not one more than needed
    assert shards == max(1, math.ceil(rate / limit))


def test_sizing_sentence():
    assert (
        shards_needed(CHAT_PEAK).say()
        == "17,361 writes/s / 5,000 per node = 3.47; round up: 4 shards, about 4,340 writes/s each."
    )


def test_checklist_for_the_chat_message_store():
    # Messages: always read by chat and time; 17,361 writes/s at peak is beyond one node.
    table = checklist({"single_key": True}, write_qps=CHAT_PEAK)
    assert table.set_index("key")["answer"].to_dict() == {
        "transactions": False,
        "joins": False,
        "relations": False,
        "single_key": True,
        "write_scale": True,
        "flexible_schema": False,
    }
    assert lean({"single_key": True}, write_qps=CHAT_PEAK) == "NoSQL"


@pytest.mark.parametrize(
    ("answers", "rate", "expected"),
    [
        (
            {"relations": True, "transactions": True},
            300,
            "SQL",
        ),  # profiles and memberships: 300 writes/s fits a node
        ({"relations": True, "transactions": True}, CHAT_PEAK, "both"),
        ({}, None, "SQL"),  # nothing ticked: start relational
        ({"flexible_schema": True}, None, "NoSQL"),
    ],
)
def test_lean(answers, rate, expected):
    assert lean(answers, write_qps=rate) == expected


def test_checklist_rejects_unknown_keys():
    with pytest.raises(ValueError, match="^answers key must be one of"):
        checklist({"acid": True})


# --- monolith vs microservices ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("services", "hops", "added_s"),
    [
        (1, 0, 0.0),  # one service: no extra network call
        (2, 1, 0.5e-3),  # one hop x 500 µs
        (4, 3, 1.5e-3),  # 3 x 500 µs
        (10, 9, 4.5e-3),  # 9 x 500 µs
    ],
)
def test_network_hops(services, hops, added_s):
    path = network_hops(services)
    assert (path.hops, path.round_trip_s) == (hops, 0.5e-3)
    assert path.added_s == pytest.approx(added_s)


SCALING = [
    # (services, growth, per-service servers, microservices, monolith). Server: 1,000 req/s
    # minus 5 % per loaded module; every service 1,000 req/s; at least 2 replicas each.
    # Split: 1,000 / 950 = 1.05 -> 2 (and the minimum is 2). Monolith: 6 modules leave 70 %.
    (6, 1.0, (2,) * 6, 12, 9),  # monolith: 6,000 / 700 = 8.57 -> 9
    (6, 10.0, (11, 2, 2, 2, 2, 2), 21, 22),  # 10,000 / 950 = 10.5 -> 11; 15,000 / 700 = 21.4 -> 22
    (6, 20.0, (22, 2, 2, 2, 2, 2), 32, 36),  # 20,000 / 950 = 21.05 -> 22; 25,000 / 700 = 35.7 -> 36
    (2, 1.0, (2, 2), 4, 3),  # monolith: 2,000 / 900 = 2.2 -> 3
]


@pytest.mark.parametrize(("services", "growth", "per_service", "micro", "mono"), SCALING)
def test_scaling_servers(services, growth, per_service, micro, mono):
    result = scaling_servers(services, growth)
    assert result.per_service == per_service
    assert (result.microservices, result.monolith) == (micro, mono)


@given(services=st.integers(1, 12), g1=st.floats(1, 50), g2=st.floats(1, 50))
def test_scaling_is_monotone_and_only_the_grown_service_changes(services, g1, g2):
    low, high = sorted((g1, g2))
    a, b = scaling_servers(services, low), scaling_servers(services, high)
    assert a.microservices <= b.microservices and a.monolith <= b.monolith
    assert a.per_service[1:] == b.per_service[1:]  # the other services keep their servers


def test_scaling_table_lists_services_and_totals():
    table = scaling_servers(3, 4.0).table()
    assert table["deployment"].tolist() == [
        "service 1 (growing)",
        "service 2",
        "service 3",
        "all, as microservices",
        "all, as one monolith",
    ]


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: shards_needed(-1), "write_qps"),
        (lambda: shards_needed(10, 0), "per_node_limit"),
        (lambda: shards_needed(10, utilisation=0), "utilisation"),
        (lambda: node_write_limit("Oracle"), "component"),
        (lambda: node_write_limit(figure="mid"), "figure"),
        (lambda: network_hops(0), "services_on_path"),
        (lambda: network_hops(2.5), "services_on_path"),
        (lambda: scaling_servers(6, growth=0.5), "growth"),
        (lambda: scaling_servers(30), "footprint"),  # 30 x 5 % fills a whole server
        (lambda: consistency_for("retail"), "domain"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=rf"^{name} must"):
        call()
