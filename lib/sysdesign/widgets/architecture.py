"""Architecture explorers: trace a message hop by hop, find single points of failure, filter the checklist.

Every figure and sentence comes from :mod:`sysdesign.components` (``Architecture.trace``,
``single_points_of_failure``, ``diagram``, ``component_checklist``); these functions only wire
controls to those calls and copy the results into views.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets

from .. import components
from ._base import STYLE, Chart, Explorer, html_table, int_slider, view

_REPLICA_SLIDER_MAX = 6


def _restyle(target: Chart, style: dict[str, list]) -> None:
    """Copy ``components.diagram_style`` output into a diagram (traces: band, nodes, midpoints)."""
    with target.batch_update():
        band, nodes = target.figure.data[0], target.figure.data[1]
        band.x, band.y = style["path_x"], style["path_y"]
        nodes.marker.size = style["node_size"]
        nodes.marker.line.color = style["node_line_color"]
        nodes.marker.line.width = style["node_line_width"]
        nodes.text = style["node_text"]
        nodes.hovertext = style["node_hover"]


def trace_explorer(
    arch: components.Architecture | None = None,
    paths: Mapping[str, Sequence[str]] | None = None,
) -> Explorer:
    """Step through a message's journey and watch the running total against the budget.

    ``paths`` maps a choice (e.g. "online") to a path of ``arch``; the default is the chat with B
    online and offline. Controls: "Recipient" (which path) and "Step" (hops so far), plus a
    "Next hop" button. Views: the running total (``sd-trace-total``), the hops so far
    (``sd-trace-table``) and the diagram with those hops in red (``sd-trace-diagram``).

    >>> ex = trace_explorer()
    >>> ex.controls["step"].value = 3
    >>> "After 3 hops:" in ex.views["total"].value
    True
    """
    arch = arch or components.chat_architecture()
    choices = dict(paths or {"online": components.CHAT_ONLINE_PATH, "offline": components.CHAT_OFFLINE_PATH})
    if not choices:
        raise ValueError("paths must hold at least one path")
    traces = {key: arch.trace(list(path)) for key, path in choices.items()}
    labels = {"online": "online: B's app is connected", "offline": "offline: B's app is closed"}
    first = next(iter(traces))
    recipient = widgets.Dropdown(
        options=[(labels.get(k, k), k) for k in traces], value=first, description="Recipient", style=STYLE
    )
    step = int_slider("Step", 1, 1, traces[first].steps)
    next_hop = widgets.Button(description="Next hop", tooltip="one more hop (back to step 1 after the last)")
    total = view("sd-trace-total")
    hop = view("sd-trace-hop")
    table = view("sd-trace-table")
    chart = Chart(
        components.diagram(arch, highlight=traces[first].path[:2], title="The hops so far, in red"),
        "sd-trace-diagram",
    )

    def advance(_button: widgets.Button) -> None:
        step.value = step.min if step.value >= step.max else step.value + 1

    next_hop.on_click(advance)

    def render(values: dict[str, Any]) -> None:
        full = traces[values["recipient"]]
        if step.max != full.steps:
            step.max = full.steps  # may clamp the value, which renders again with the new value
        part = full.first(min(values["step"], full.steps))
        colour = "#1b5e20" if part.within_budget else "#b00020"
        total.value = f"<b style='color:{colour}'>{html.escape(part.describe())}</b>"
        hop.value = html.escape(part.last_hop())
        table.value = html_table(part.table(), "sd-table sd-trace-hops")
        _restyle(chart, components.diagram_style(arch, highlight=part.path))

    return Explorer(
        "trace",
        {"recipient": recipient, "step": step},
        {"total": total, "hop": hop, "table": table, "diagram": chart, "next": next_hop},
        render,
        parts=[next_hop, total, hop, table, chart],
    )


def spof_explorer(arch: components.Architecture | None = None) -> Explorer:
    """Give components more instances until no single point of failure is left.

    Starts from ``arch`` (default: the chat's first draft, ``chat_architecture(draft=True)``).
    Choose a "Component" and set its "Replicas"; changes accumulate, and "Start again" goes back
    to ``arch``. Views: the warning (``sd-spof-warning``), the component table
    (``sd-spof-table``) and the diagram with single points of failure ringed in red
    (``sd-spof-diagram``). ``explorer.current()`` returns the architecture as it now stands.

    >>> ex = spof_explorer()
    >>> ex.controls["component"].value = "db"
    >>> ex.controls["replicas"].value = 3
    >>> "db" in ex.current().single_points_of_failure()
    False
    """
    start = arch or components.chat_architecture(draft=True)
    table_all = start.components()
    ours = table_all[table_all["ours"]]
    if ours.empty:
        raise ValueError("arch has no component we run (only clients or third parties)")
    options = [(f"{row.label} ({row.name})", row.name) for row in ours.itertuples()]
    spofs = start.single_points_of_failure()
    chosen = spofs[0] if spofs else options[0][1]
    current_replicas = start.component(chosen).replicas
    component = widgets.Dropdown(options=options, value=chosen, description="Component", style=STYLE)
    replicas = int_slider("Replicas", current_replicas, 1, max(_REPLICA_SLIDER_MAX, current_replicas))
    reset = widgets.Button(description="Start again", tooltip="back to the original replica counts")
    warning = view("sd-spof-warning")
    table = view("sd-spof-table")
    chart = Chart(
        components.diagram(start, title="Single points of failure ringed in red"), "sd-spof-diagram"
    )
    state: dict[str, Any] = {"arch": start, "selected": None, "syncing": False}

    def sync_slider(name: str) -> None:
        """Show ``name``'s replica count on the slider without applying it to anything else."""
        count = state["arch"].component(name).replicas
        state["syncing"] = True
        try:
            replicas.max = max(_REPLICA_SLIDER_MAX, count)
            replicas.value = count
        finally:
            state["syncing"] = False
        state["selected"] = name

    def render(values: dict[str, Any]) -> None:
        if state["syncing"]:
            return
        name = values["component"]
        if name != state["selected"]:
            sync_slider(name)
        else:
            state["arch"] = state["arch"].with_replicas(name, values["replicas"])
        current = state["arch"]
        found = current.single_points_of_failure()
        style = "color:#b00020" if found else "color:#1b5e20"
        warning.value = (
            f"<b style='{style}'>{'⚠ ' if found else '✓ '}{html.escape(current.describe_spofs())}</b>"
        )
        shown = current.components()
        shown = shown[shown["ours"]][["name", "label", "kind", "replicas", "spof"]]
        table.value = html_table(shown, "sd-table sd-spof-components")
        _restyle(chart, components.diagram_style(current))

    def start_again(_button: widgets.Button) -> None:
        state["arch"], state["selected"] = start, None
        explorer.refresh()

    reset.on_click(start_again)
    explorer = Explorer(
        "spof",
        {"component": component, "replicas": replicas},
        {"warning": warning, "table": table, "diagram": chart, "reset": reset},
        render,
        parts=[reset, warning, table, chart],
    )
    explorer.current = lambda: state["arch"]  # type: ignore[attr-defined]
    return explorer


def checklist_explorer() -> Explorer:
    """The component checklist, filtered by group and by a word.

    Controls: "Group" (all, networking, compute, data, cross-cutting) and "Filter" (text; press
    Enter). Views: how many rows match (``sd-checklist-count``) and the rows
    (``sd-checklist-table``).

    >>> ex = checklist_explorer()
    >>> ex.controls["text"].value = "kafka"
    >>> "Message queue" in ex.views["table"].value
    True
    """
    group = widgets.Dropdown(
        options=["all", *components.CHECKLIST_GROUPS], value="all", description="Group", style=STYLE
    )
    text = widgets.Text(
        value="",
        description="Filter",
        placeholder="e.g. cache, always, Kafka",
        continuous_update=False,
        style=STYLE,
    )
    everything = len(components.component_checklist())
    count = view("sd-checklist-count")
    table = view("sd-checklist-table")

    def render(values: dict[str, Any]) -> None:
        rows = components.component_checklist(values["group"], values["text"])
        count.value = f"{len(rows)} of {everything} rows"
        shown = rows[["group", "component", "when_to_include", "key_decisions"]].rename(
            columns={"when_to_include": "when to include", "key_decisions": "key decisions"}
        )
        table.value = html_table(shown, "sd-table sd-checklist-rows")

    return Explorer("checklist", {"group": group, "text": text}, {"count": count, "table": table}, render)
