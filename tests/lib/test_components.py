"""Building blocks, checklist, patterns and the Architecture graph (trace, SPOFs, durability)."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sysdesign import components as c
from sysdesign.widgets import architecture as w

MS = 1e-3


# --- the latency model --------------------------------------------------------------------


def test_round_trips_come_from_the_reference_table():
    # Reference table: 500 µs inside one datacenter (Dean's list); 70 ms coast to coast (US), measured pings:
    # the syllabus's 40 ms is the fibre floor (4,130 km x 2 / 200,000 km/s = 41 ms).
    assert c.DATACENTER_RTT_S == pytest.approx(500e-6)
    assert c.WAN_RTT_S == pytest.approx(70e-3)
    assert c.WAN_RTT_FLOOR_S == pytest.approx(41.3e-3)


@pytest.mark.parametrize(
    ("a", "b", "seconds"),
    [
        ("datacenter", "datacenter", 500e-6),  # reference: same datacenter
        ("device", "datacenter", 70e-3),  # reference: coast to coast
        ("datacenter", "device", 70e-3),
        ("datacenter", "external", 70e-3),
        ("device", "edge", 10e-3),  # our metro assumption
        ("edge", "device", 10e-3),
        ("edge", "datacenter", 70e-3),
    ],
)
def test_network_rtt(a, b, seconds):
    assert c.network_rtt(a, b) == pytest.approx(seconds)


def test_kinds_table_adds_network_and_processing():
    table = c.kinds().set_index("kind")
    assert set(table.index) == set(c.KINDS)
    assert (table["hop_latency_s"] == table["network_s"] + table["processing_s"]).all()
    # database: 0.5 ms datacenter round trip + 5 ms commit = 5.5 ms
    assert table.loc["database", "hop_latency_s"] == pytest.approx(0.5 * MS + 5 * MS)
    # CDN from the user's device: 10 ms metro round trip + 1 ms cache hit = 11 ms
    assert table.loc["cdn", "hop_latency_s"] == pytest.approx(10 * MS + 1 * MS)
    assert set(table.index[table["durable"]]) == {"database", "message_queue", "object_storage"}
    assert set(table.index[~table["ours"]]) == {"client", "push_service"}


# --- checklist and patterns ---------------------------------------------------------------


def test_checklist_groups_and_kinds():
    table = c.component_checklist()
    assert list(dict.fromkeys(table["group"])) == list(c.CHECKLIST_GROUPS)
    # Every building block except the client has a checklist row; cross-cutting rows have no kind.
    assert set(table["kind"]) - {""} == set(c.KINDS) - {"client"}
    assert (table[table["group"] == "cross-cutting"]["kind"] == "").all()
    # Syllabus: Monitoring, Security, Data Privacy, Disaster Recovery are the cross-cutting concerns.
    assert list(c.component_checklist("cross-cutting")["component"]) == [
        "Monitoring",
        "Security",
        "Data privacy",
        "Disaster recovery",
    ]


@pytest.mark.parametrize(
    ("group", "contains", "components"),
    [
        ("all", "kafka", ["Message queue"]),
        ("compute", "", ["App servers", "WebSocket servers", "Workers / consumers", "Scheduler (cron)"]),
        (
            "data",
            "WRITE",
            ["NoSQL database", "Cache (Redis)"],
        ),  # case-insensitive: write rates, write-through
        ("networking", "no such words", []),
    ],
)
def test_checklist_filter(group, contains, components):
    assert list(c.component_checklist(group, contains)["component"]) == components


def test_patterns_cover_the_five_problem_types():
    table = c.patterns()
    assert list(dict.fromkeys(table["problem_type"])) == list(c.PROBLEM_TYPES)
    assert table.groupby("problem_type").size().eq(3).all()  # the syllabus lists three patterns per type
    named = {k.strip() for cell in table["building_blocks"] for k in cell.split(",")}
    assert named <= set(c.KINDS)
    assert len(c.patterns("search-heavy")) == 3


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: c.component_checklist("storage"), "group must be one of 'all', 'networking'"),
        (lambda: c.patterns("fast"), "problem_type must be one of 'all', 'read-heavy'"),
        (lambda: c.network_rtt("moon", "datacenter"), "source_location must be one of"),
    ],
)
def test_bad_choices_name_the_parameter(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- tracing --------------------------------------------------------------------------------

# Hop by hop, milliseconds: round trip + processing of the component reached.
ONLINE_HOPS_MS = [
    70 + 0.1,  # sender -> lb: device to datacenter 70 ms, load balancer 0.1 ms
    0.5 + 1,  # lb -> ws: datacenter 0.5 ms, frame handling 1 ms
    0.5 + 5,  # ws -> kafka: replicated append 5 ms
    0.5 + 2,  # kafka -> consumer: worker 2 ms
    0.5 + 5,  # consumer -> db: commit 5 ms
    0,  # db answers the consumer: inside the round trip
    0.5 + 0.1,  # consumer -> redis: lookup 0.1 ms
    0,  # redis answers
    0.5 + 0.1,  # consumer -> pubsub
    0.5 + 1,  # pubsub -> ws
    70 + 0,  # ws -> recipient: datacenter to device, nothing counted on the phone
]
OFFLINE_HOPS_MS = [
    70 + 0.1,
    0.5 + 1,
    0.5 + 5,
    0.5 + 2,
    0.5 + 0.1,
    0,
    70 + 10,
]  # last: third party, APNs 10 ms


@pytest.mark.parametrize(
    ("path", "hops_ms"), [(c.CHAT_ONLINE_PATH, ONLINE_HOPS_MS), (c.CHAT_OFFLINE_PATH, OFFLINE_HOPS_MS)]
)
def test_chat_trace_latencies_add_up(path, hops_ms):
    trace = c.chat_architecture().trace(path)
    assert trace.steps == len(path) - 1 == len(hops_ms)
    assert list(trace.hops["latency_s"]) == pytest.approx([h * MS for h in hops_ms])
    running = 0.0
    for got, hop in zip(trace.hops["cumulative_s"], hops_ms, strict=True):
        running += hop * MS
        assert got == pytest.approx(running)
    assert trace.total_s == pytest.approx(sum(hops_ms) * MS)
    assert trace.budget_s == 0.5 and trace.within_budget  # syllabus: delivered in < 500 ms


def test_online_total_and_breakdown():
    trace = c.chat_architecture().trace(c.CHAT_ONLINE_PATH)
    assert trace.total_s == pytest.approx(157.8 * MS)  # sum of ONLINE_HOPS_MS
    parts = trace.breakdown().set_index("part")
    assert parts.loc["internet round trips", "seconds"] == pytest.approx(140 * MS)  # two 70 ms legs
    assert parts["seconds"].sum() == pytest.approx(trace.total_s)
    assert parts["share"].sum() == pytest.approx(1.0)
    assert trace.describe() == "After 11 hops: 157.8 ms of the 500 ms budget (31.6%), 342.2 ms to spare."


def test_offline_path_ends_at_the_push_service():
    chat = c.chat_architecture()
    trace = chat.trace(c.CHAT_OFFLINE_PATH)
    assert trace.path[-1] == "push"
    assert chat.component(trace.path[-1]).kind == "push_service"
    assert trace.hops["target"].iloc[-1] == "push"
    assert "recipient" not in trace.path


def test_first_steps_and_last_hop():
    trace = c.chat_architecture().trace(c.CHAT_ONLINE_PATH)
    three = trace.first(3)
    assert three.steps == 3 and three.path == ("sender", "lb", "ws", "kafka")
    assert three.total_s == pytest.approx((70.1 + 1.5 + 5.5) * MS)
    assert three.last_hop().startswith("Step 3: ws → kafka: publish to chat-messages")
    assert trace.first(0).total_s == 0 and trace.first(0).last_hop() == ""
    with pytest.raises(ValueError, match=r"steps must be a number in \[0, 11\]"):
        trace.first(12)


def test_over_budget_and_hand_set_latency():
    a = c.Architecture("slow", budget_s=0.1).add_component("u", "client").add_component("api", "app_server")
    a.connect("u", "api", "call", latency_s=0.25)
    trace = a.trace(["u", "api"])
    assert trace.hops["link"].tolist() == ["manual"] and trace.total_s == 0.25
    assert not trace.within_budget and trace.headroom_s == pytest.approx(-0.15)
    assert "over budget by 150 ms" in trace.describe()
    assert a.trace(["u", "api"], budget_s=1.0).within_budget


def test_fastest_route_and_via():
    chat = c.chat_architecture()
    fastest = chat.trace("sender", "recipient")
    # Straight through the WebSocket fleet: 70.1 + 1.5 + 70 ms, skipping Kafka and the database.
    assert fastest.path == ("sender", "lb", "ws", "recipient")
    assert fastest.total_s == pytest.approx((70.1 + 1.5 + 70) * MS)
    assert not chat.durable_before_ack(fastest.path, "recipient")
    routed = chat.trace("sender", "recipient", via=["kafka"])
    assert routed.path == ("sender", "lb", "ws", "kafka", "consumer", "pubsub", "ws", "recipient")


def test_nested_calls_return_in_order():
    a = c.Architecture.from_spec(
        {"u": "client", "app": ("app_server", 2), "cache": ("cache", 2), "db": ("database", 2)},
        [("u", "app"), ("app", "cache"), ("cache", "db")],
    )
    trace = a.trace(["u", "app", "cache", "db", "cache", "app"])
    assert trace.hops["link"].tolist()[-2:] == ["reply", "reply"]
    # 70 + 5 (app) + 0.5 + 0.1 (cache) + 0.5 + 5 (db) ms; the two replies are free.
    assert trace.total_s == pytest.approx((75 + 0.6 + 5.5) * MS)
    with pytest.raises(ValueError, match=r"path step 4: no arrow 'db' -> 'app'"):
        a.trace(["u", "app", "cache", "db", "app"])


# --- durability -----------------------------------------------------------------------------


def test_durable_before_ack_on_the_chat_path():
    chat = c.chat_architecture()
    assert chat.durable_before_ack(c.CHAT_ONLINE_PATH, c.CHAT_ACK_AT)  # Kafka holds it when A hears "sent"
    assert chat.durable_before_ack(c.CHAT_OFFLINE_PATH, "kafka")
    assert chat.durable_before_ack(c.CHAT_ONLINE_PATH, "recipient")
    assert not chat.durable_before_ack(c.CHAT_ONLINE_PATH, "ws")  # acked by the server before Kafka


def test_pushing_first_loses_durability():
    # The same pieces reordered: the server notifies first and writes to Kafka afterwards.
    a = c.Architecture.from_spec(
        {
            "sender": "client",
            "lb": "load_balancer",
            "ws": "websocket_server",
            "notifier": "worker",
            "push": "push_service",
            "kafka": "message_queue",
            "consumer": "worker",
            "db": "database",
        },
        [
            ("sender", "lb"),
            ("lb", "ws"),
            ("ws", "notifier"),
            ("notifier", "push"),
            ("notifier", "kafka"),
            ("kafka", "consumer"),
            ("consumer", "db"),
        ],
    )
    assert not a.durable_before_ack(["sender", "lb", "ws", "notifier", "push"], "push")
    assert a.durable_before_ack(["sender", "lb", "ws", "notifier", "kafka", "consumer", "db"], "kafka")


def test_durable_before_ack_errors():
    chat = c.chat_architecture()
    with pytest.raises(ValueError, match=r"ack_at 'push' is not on the path"):
        chat.durable_before_ack(c.CHAT_ONLINE_PATH, "push")
    with pytest.raises(ValueError, match=r"path step 1: no arrow 'kafka' -> 'sender'"):
        chat.durable_before_ack(["kafka", "sender"], "sender")


# --- single points of failure ---------------------------------------------------------------


def test_draft_spofs_and_a_replica_removes_one():
    draft = c.chat_architecture(draft=True)
    assert draft.single_points_of_failure() == list(c.DRAFT_SINGLES)
    fixed = draft.with_replicas("db", 3)
    assert "db" not in fixed.single_points_of_failure()
    assert fixed.component("db").replicas == 3
    assert draft.component("db").replicas == 1  # the original is unchanged
    assert "db" in draft.single_points_of_failure()
    assert fixed.with_replicas("db", 1).single_points_of_failure() == draft.single_points_of_failure()


def test_clients_and_third_parties_are_not_spofs():
    chat = c.chat_architecture()
    assert chat.single_points_of_failure() == []
    assert chat.component("sender").replicas == 1 and chat.component("push").replicas == 1
    assert chat.describe_spofs().startswith("No single point of failure")
    assert (
        c.chat_architecture(draft=True)
        .describe_spofs()
        .startswith("4 single points of failure: Load balancer (lb)")
    )


def test_chat_replicas_follow_the_estimate():
    counts = c.chat_replicas()
    assert counts["ws"] == 1_500  # syllabus: 15 M connections / 10 K per server
    assert counts["kafka"] == 3  # ceil(17,361 / 200,000) = 1 broker, raised to replication factor 3
    assert counts["app"] == math.ceil(500e6 / 86_400 * 3 / 1_000) == 18  # peak QPS / 1 K per app server
    assert counts["redis"] == 2  # one node carries 100 K ops/s; two for failover


def test_choke_points_are_cut_vertices():
    a = c.Architecture.from_spec(
        {"u": "client", "lb": ("load_balancer", 2), "app": ("app_server", 3), "db": "database"},
        [("u", "lb"), ("lb", "app"), ("app", "db")],
    )
    assert a.choke_points() == ["lb", "app"]  # u is a client, db is a leaf
    # B's app hangs only on the WebSocket fleet, APNs/FCM only on the notification consumers.
    assert c.chat_architecture().choke_points() == ["ws", "notifier"]


# --- validation -----------------------------------------------------------------------------


def test_chat_and_building_blocks_are_valid():
    chat = c.chat_architecture()
    assert chat.validate() is chat
    assert chat.problems(acyclic=True) == ["cycle: ws -> kafka -> consumer -> pubsub -> ws"]
    blocks = c.building_blocks()
    assert blocks.problems(acyclic=True) == []
    assert sorted(comp.kind for comp in (blocks.component(n) for n in blocks.graph)) == sorted(c.KINDS)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda a: a.add_component("x", "mainframe"), "kind must be one of 'client', 'dns'"),
        (lambda a: a.add_component("u", "client"), "component 'u' already exists"),
        (lambda a: a.add_component("", "cache"), "name must be a non-empty string"),
        (lambda a: a.add_component("c", "cache", replicas=0), r"replicas must be a number in \[1, "),
        (
            lambda a: a.add_component("c", "cache", replicas=2.5),
            "replicas must be a whole number >= 1, got 2.5",
        ),
        (lambda a: a.connect("u", "ghost"), "connect: unknown target component 'ghost'.*add_component"),
        (lambda a: a.connect("api", "api"), "cannot send to itself"),
        (lambda a: a.connect("u", "api"), "'u' -> 'api' already exists"),
        (lambda a: a.connect("api", "u", latency_s=-1), "latency_s must be a number >= 0"),
        (lambda a: a.with_replicas("ghost", 2), "unknown component 'ghost' in 'v'"),
        (lambda a: a.with_replicas("api", 0), "replicas must be a number"),
        (lambda a: a.trace(["u"]), "path must name at least 2 components"),
        (lambda a: a.trace(["u", "nope"]), r"path\[1\]: unknown component 'nope'"),
        (lambda a: a.trace(["api", "u"]), r"path step 1: no arrow 'api' -> 'u'"),
        (lambda a: a.trace("api", "u"), "no path from 'api' to 'u'"),
        (lambda a: a.trace(["u", "api"], via=["api"]), "via only applies"),
        (lambda a: a.trace(["u", "api"], budget_s=0), r"budget_s must be a number > 0"),
    ],
)
def test_errors_name_the_problem(build, message):
    a = (
        c.Architecture("v")
        .add_component("u", "client")
        .add_component("api", "app_server")
        .connect("u", "api")
    )
    with pytest.raises(ValueError, match=message):
        build(a)


def test_type_errors():
    a = c.Architecture("t").add_component("u", "client")
    with pytest.raises(TypeError, match="name must be a string"):
        a.add_component(3, "cache")
    with pytest.raises(TypeError, match="path must be a list of component names"):
        a.trace("u")
    with pytest.raises(TypeError, match="replicas must be a number"):
        a.add_component("c", "cache", replicas="two")


@pytest.mark.parametrize(
    ("components", "edges", "acyclic", "problems"),
    [
        ({}, [], False, ["'v' has no components"]),
        (
            {"u": "client", "db": "database"},
            [],
            False,
            ["component 'u' has no connections", "component 'db' has no connections"],
        ),
        (
            {"app": "app_server", "db": "database"},
            [("app", "db")],
            False,
            ["no origin: add a 'client' (or 'scheduler') component where requests start"],
        ),
        (
            {"u": "client", "app": "app_server", "db": "database", "cache": "cache"},
            [("u", "app"), ("db", "cache")],
            False,
            [
                "component 'db' cannot be reached from any client or scheduler",
                "component 'cache' cannot be reached from any client or scheduler",
            ],
        ),
        (
            {"u": "client", "a": "app_server", "b": "worker"},
            [("u", "a"), ("a", "b"), ("b", "a")],
            True,
            ["cycle: a -> b -> a"],
        ),
        ({"u": "client", "a": "app_server", "b": "worker"}, [("u", "a"), ("a", "b"), ("b", "a")], False, []),
        ({"cron": "scheduler", "q": "message_queue"}, [("cron", "q")], True, []),
    ],
)
def test_problems(components, edges, acyclic, problems):
    a = c.Architecture.from_spec(components, edges, name="v")
    assert a.problems(acyclic=acyclic) == problems
    if problems:
        with pytest.raises(ValueError, match=f"architecture 'v' has {len(problems)} problem"):
            a.validate(acyclic=acyclic)


def test_from_spec_errors_and_round_trip():
    with pytest.raises(ValueError, match=r"edges\[0\] must be \(source, target\)"):
        c.Architecture.from_spec({"u": "client"}, ["u"])
    with pytest.raises(ValueError, match="component 'u': give a kind"):
        c.Architecture.from_spec({"u": 5}, [])
    with pytest.raises(TypeError, match="components must be a mapping"):
        c.Architecture.from_spec([("u", "client")], [])
    chat = c.chat_architecture()
    spec = chat.to_spec()
    again = c.Architecture.from_spec(
        spec["components"], spec["edges"], name=spec["name"], budget_s=spec["budget_s"]
    )
    assert again.to_spec() == spec
    assert again.trace(c.CHAT_ONLINE_PATH).total_s == chat.trace(c.CHAT_ONLINE_PATH).total_s


# --- diagram --------------------------------------------------------------------------------


def test_diagram_marks_path_and_spofs():
    draft = c.chat_architecture(draft=True)
    fig = c.diagram(draft, highlight=c.CHAT_ONLINE_PATH)
    assert isinstance(fig, go.Figure)
    band, nodes, mids = fig.data
    assert len(nodes.x) == len(draft) and len(fig.layout.annotations) == len(mids.x) == len(draft.edges())
    steps = zip(c.CHAT_ONLINE_PATH, c.CHAT_ONLINE_PATH[1:], strict=False)
    forward = [(u, v) for u, v in steps if (u, v) in draft.graph.edges]
    assert len(forward) == 9  # 11 steps minus the 2 replies
    assert len(band.x) == 3 * len(forward) and list(band.x[2::3]) == [None] * 9  # one segment per forward hop
    ringed = [n for n, width in zip(draft.graph, nodes.marker.line.width, strict=True) if width > 1]
    assert ringed == list(c.DRAFT_SINGLES)
    assert fig.layout.title.text == "chat: 16 components, 21 arrows"
    with pytest.raises(ValueError, match=r"highlight\[1\]: unknown component 'ghost'"):
        c.diagram_style(draft, ["sender", "ghost"])


def test_diagram_style_follows_replicas():
    draft = c.chat_architecture(draft=True)
    before = c.diagram_style(draft)["node_line_width"]
    after = c.diagram_style(draft.with_replicas("db", 2))["node_line_width"]
    db = list(draft.graph).index("db")
    assert before[db] == 4 and after[db] == 1
    assert c.diagram_style(draft)["path_x"] == []


def test_positions_are_layered_and_deterministic():
    chat = c.chat_architecture()
    pos = c.positions(chat)
    assert pos == c.positions(c.chat_architecture())
    assert pos["sender"][1] == pos["recipient"][1] == 0  # clients on the top row
    assert pos["db"][1] < pos["kafka"][1] < pos["ws"][1]
    row = sorted(x for x, y in pos.values() if y == pos["db"][1])
    assert all(b - a >= 1 - 1e-9 for a, b in zip(row, row[1:], strict=False))  # no overlaps within a row


# --- properties -----------------------------------------------------------------------------

inside = st.sampled_from([k for k, spec in c.KINDS.items() if spec.location == "datacenter"])


@given(st.lists(inside, min_size=1, max_size=8))
def test_chain_total_is_sum_of_round_trips_and_processing(chain):
    a = c.Architecture("chain").add_component("n0", "client")
    for i, kind in enumerate(chain, start=1):
        a.add_component(f"n{i}", kind).connect(f"n{i - 1}", f"n{i}")
    trace = a.trace([f"n{i}" for i in range(len(chain) + 1)])
    expected = (
        c.WAN_RTT_S + (len(chain) - 1) * c.DATACENTER_RTT_S + sum(c.KINDS[k].processing_s for k in chain)
    )
    assert trace.total_s == pytest.approx(expected)
    assert list(trace.hops["cumulative_s"]) == sorted(trace.hops["cumulative_s"])
    assert a.trace("n0", f"n{len(chain)}").total_s == pytest.approx(expected)  # the only route is the fastest


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=4, max_size=4))
def test_adding_replicas_never_adds_spofs(counts):
    arch = c.chat_architecture(draft=True)
    before = len(arch.single_points_of_failure())
    for name, n in zip(c.DRAFT_SINGLES, counts, strict=True):
        arch = arch.with_replicas(name, n)
    assert len(arch.single_points_of_failure()) == sum(1 for n in counts if n < 2) <= before


# --- explorers (no browser) -----------------------------------------------------------------


def test_trace_explorer_steps_and_switches_path():
    ex = w.trace_explorer()
    assert ex.controls["step"].max == 11
    ex.views["next"].click()
    assert ex.controls["step"].value == 2
    assert "71.6 ms" in ex.views["total"].value  # 70.1 + 1.5 ms
    ex.controls["step"].value = 11
    assert "157.8 ms of the 500 ms budget" in ex.views["total"].value
    ex.controls["recipient"].value = "offline"
    assert ex.controls["step"].max == 7 and ex.controls["step"].value == 7
    assert "160.2 ms" in ex.views["total"].value  # sum of OFFLINE_HOPS_MS
    assert "notifier → push" in ex.views["table"].value
    ex.views["next"].click()  # past the last hop: back to the first
    assert ex.controls["step"].value == 1
    assert ex.status.value == ""


def test_spof_explorer_warning_goes_when_every_single_gets_a_replica():
    ex = w.spof_explorer()
    assert "4 single points of failure" in ex.views["warning"].value
    ex.controls["component"].value = "db"
    assert ex.controls["replicas"].value == 1
    ex.controls["replicas"].value = 3
    assert "Message DB" not in ex.views["warning"].value and "3 single points" in ex.views["warning"].value
    for name in ("lb", "redis", "pubsub"):
        ex.controls["component"].value = name
        ex.controls["replicas"].value = 2
    assert "No single point of failure" in ex.views["warning"].value
    ex.controls["component"].value = "ws"  # the slider shows ws's count instead of applying 2 to it
    assert ex.controls["replicas"].value == 1_500 and ex.current().component("ws").replicas == 1_500
    ex.views["reset"].click()
    assert "4 single points of failure" in ex.views["warning"].value


def test_checklist_explorer_filters():
    ex = w.checklist_explorer()
    total = len(c.component_checklist())
    assert ex.views["count"].value == f"{total} of {total} rows"
    ex.controls["group"].value = "cross-cutting"
    assert ex.views["count"].value == f"4 of {total} rows"
    ex.controls["text"].value = "gdpr"
    assert ex.views["count"].value == f"1 of {total} rows" and "Data privacy" in ex.views["table"].value
