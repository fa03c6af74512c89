"""The one pattern every explorer follows: named controls, a render function, named views it updates.

No calculation lives here or in any explorer: ``render`` calls library functions and copies
their results into the views (HTML tables, labels, the traces of a :class:`Chart`).
"""

from __future__ import annotations

import html
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

# plotly imports nbformat, which imports jsonschema, which imports the optional rfc3987_syntax
# when it is installed (jupyter-events pulls it in); that module compiles an Earley grammar at
# import: about 2.5 s of CPU in every kernel, for an IRI format check no lesson uses. Declining
# the optional import (jsonschema handles its absence) makes a lesson's first explorer ~2x faster.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

Render = Callable[[dict[str, Any]], None]


class Explorer(widgets.VBox):
    """A box of controls above the views they drive.

    ``controls`` maps a name to a value widget and ``views`` a name to the widget showing a
    result; on every change ``render(values)`` runs with the current values by name. The views
    show below the controls in order, or as ``parts`` lists them (which may add headings and
    buttons). A ``ValueError``/``TypeError`` from the library is shown in the status line (class
    ``sd-status``) instead of a traceback. ``refresh()`` re-runs ``render``; benchmarks and tests
    change ``controls[name].value`` and read ``views[name]``.
    """

    def __init__(
        self,
        name: str,
        controls: Mapping[str, widgets.ValueWidget],
        views: Mapping[str, widgets.Widget],
        render: Render,
        *,
        parts: Sequence[widgets.Widget] | None = None,
        columns: int = 2,
    ) -> None:
        if not isinstance(views, Mapping):
            raise TypeError(
                f"views must map a name to a widget, like {{'table': view('sd-x')}}; got {views!r}"
            )
        self.name = name
        self.controls = dict(controls)
        self.views = dict(views)
        self.render = render
        self.status = widgets.HTML(value="").add_class("sd-status")
        grid = widgets.GridBox(
            list(self.controls.values()),
            layout=widgets.Layout(
                grid_template_columns=f"repeat({columns}, minmax(0, 1fr))", grid_gap="2px 16px"
            ),
        )
        super().__init__([grid, self.status, *(self.views.values() if parts is None else parts)])
        self.add_class("sd-explorer").add_class(f"sd-{name}")
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.refresh()

    def values(self) -> dict[str, Any]:
        """Current value of every control, by name."""
        return {key: control.value for key, control in self.controls.items()}

    def refresh(self) -> None:
        """Run ``render`` with the current values; show a library error in the status line."""
        try:
            self.render(self.values())
        except (ValueError, TypeError) as exc:
            self.status.value = f"<span style='color:#b00020'>⚠ {html.escape(str(exc))}</span>"
        else:
            self.status.value = ""

    def _on_change(self, _change: Mapping[str, Any]) -> None:
        self.refresh()


def html_table(frame: pd.DataFrame, css_class: str = "sd-table") -> str:
    """A DataFrame as compact HTML (no index) for an ``HTML`` widget."""
    return frame.to_html(index=False, classes=css_class, border=0, escape=True)


def view(css_class: str, value: str = "") -> widgets.HTML:
    """An HTML view with a stable CSS class, so browser tests and readers can find it."""
    return widgets.HTML(value=value).add_class(css_class)


class Chart(widgets.Output):
    """A plotly figure shown as plotly's own output (its mimetype) in an ``Output`` widget.

    Edit ``chart.figure`` inside ``with chart.batch_update():``; at the end of the block
    the output is replaced whole by the new figure. Unlike plotly's ``FigureWidget``, the chart
    holds no state in the browser beyond that output: it draws every time it is shown (also
    after edits made before it was displayed), and a notebook saved with its widget state
    stores the figure's JSON, not plotly.js.
    """

    def __init__(self, fig: go.Figure, css_class: str) -> None:
        super().__init__()
        self.figure = fig
        self.add_class("sd-chart").add_class(css_class)
        self.draw()

    @contextmanager
    def batch_update(self) -> Iterator[Chart]:
        """Edit the figure inside the block, then redraw once (not if the block raised)."""
        yield self
        self.draw()

    def draw(self) -> None:
        """Replace the output with the figure as it stands."""
        bundle = pio.renderers["plotly_mimetype"].to_mimebundle(self.figure.to_dict())
        self.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)


STYLE = {"description_width": "initial"}
"""Control style that leaves room for a readable description."""


def slider(
    description: str, value: float, low: float, high: float, step: float, **kw: Any
) -> widgets.FloatSlider:
    """A float slider that updates on release, with room for a readable description."""
    return widgets.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        continuous_update=False,
        style=STYLE,
        **kw,
    )


def int_slider(
    description: str, value: int, low: int, high: int, step: int = 1, **kw: Any
) -> widgets.IntSlider:
    """An integer slider that updates on release, with room for a readable description."""
    return widgets.IntSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        continuous_update=False,
        style=STYLE,
        **kw,
    )


def dropdown(description: str, options: Sequence[Any], value: Any) -> widgets.Dropdown:
    """A dropdown of ``options`` (values, or (label, value) pairs)."""
    return widgets.Dropdown(options=list(options), value=value, description=description, style=STYLE)
