"""Speed of the architecture library and explorers (targets: calls < 30 ms, explorer updates < 150 ms).

python benchmarks/bench_architecture.py      # or: python benchmarks/run.py architecture
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _timing  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
from sysdesign import components  # noqa: E402
from sysdesign.widgets import Chart  # noqa: E402
from sysdesign.widgets.architecture import checklist_explorer, spof_explorer, trace_explorer  # noqa: E402

CALL_TARGET_MS = 30.0
EXPLORER_TARGET_MS = 150.0
CHANGES = 60  # value changes per control (at least 50)


def _cycle(values: list, n: int = CHANGES) -> list:
    """``n`` values cycling through ``values``; consecutive values differ."""
    return [values[i % len(values)] for i in range(n)]


def _build(name: str, make) -> object:
    start = time.perf_counter()
    made = make()
    print(f"{name + ' build':<48} {1e3 * (time.perf_counter() - start):7.1f} ms")
    return made


def main() -> None:
    chat = components.chat_architecture()
    draft = components.chat_architecture(draft=True)
    calls = {
        "chat_architecture()": (lambda _: components.chat_architecture(), range(CHANGES)),
        "trace(online path)": (lambda _: chat.trace(components.CHAT_ONLINE_PATH), range(CHANGES)),
        "trace(source, target) fastest route": (lambda _: chat.trace("sender", "push"), range(CHANGES)),
        "single_points_of_failure()": (lambda _: draft.single_points_of_failure(), range(CHANGES)),
        "with_replicas(db, n)": (lambda n: draft.with_replicas("db", n), _cycle([1, 2, 3, 4])),
        "problems(acyclic=True)": (lambda _: chat.problems(acyclic=True), range(CHANGES)),
        "durable_before_ack(online, kafka)": (
            lambda _: chat.durable_before_ack(components.CHAT_ONLINE_PATH, "kafka"),
            range(CHANGES),
        ),
        "component_checklist(group, text)": (
            lambda t: components.component_checklist("all", t),
            _cycle(["a", "ka"]),
        ),
    }
    for name, (call, inputs) in calls.items():
        print(_timing.row(name, _timing.time_calls(call, inputs), CALL_TARGET_MS))
    # A plot helper, drawn once per cell; explorers restyle it with diagram_style instead.
    draw = _timing.time_calls(
        lambda _: components.diagram(chat, highlight=components.CHAT_ONLINE_PATH), range(20)
    )
    print(_timing.row("diagram(chat, highlight=online path)", draw, EXPLORER_TARGET_MS))
    style = _timing.time_calls(
        lambda _: components.diagram_style(chat, components.CHAT_ONLINE_PATH), range(CHANGES)
    )
    print(_timing.row("diagram_style(chat, online path)", style, CALL_TARGET_MS))
    _build("first Chart in the process (plotly's JSON encoder)", lambda: Chart(go.Figure(), "sd-warm-up"))

    tracer = _build("trace_explorer()", trace_explorer)
    print(
        _timing.row(
            "trace explorer: Step",
            _timing.time_explorer(tracer, "step", _cycle(list(range(1, 12)))),
            EXPLORER_TARGET_MS,
        )
    )
    print(
        _timing.row(
            "trace explorer: Recipient",
            _timing.time_explorer(tracer, "recipient", _cycle(["offline", "online"])),
            EXPLORER_TARGET_MS,
        )
    )

    spof = _build("spof_explorer()", spof_explorer)
    spof.controls["component"].value = "db"
    print(
        _timing.row(
            "spof explorer: Replicas",
            _timing.time_explorer(spof, "replicas", _cycle([2, 3, 1, 4, 5])),
            EXPLORER_TARGET_MS,
        )
    )
    print(
        _timing.row(
            "spof explorer: Component",
            _timing.time_explorer(spof, "component", _cycle(["lb", "redis", "pubsub", "db", "ws"])),
            EXPLORER_TARGET_MS,
        )
    )

    checklist = _build("checklist_explorer()", checklist_explorer)
    print(
        _timing.row(
            "checklist explorer: Group",
            _timing.time_explorer(
                checklist, "group", _cycle(["networking", "compute", "data", "cross-cutting", "all"])
            ),
            EXPLORER_TARGET_MS,
        )
    )
    print(
        _timing.row(
            "checklist explorer: Filter",
            _timing.time_explorer(checklist, "text", _cycle(["cache", "kafka", "", "always", "shard"])),
            EXPLORER_TARGET_MS,
        )
    )


if __name__ == "__main__":
    main()
