"""The harness itself: a widget and a plotly figure render and respond in real JupyterLab."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from jlab import open_notebook, set_slider, text_of, wait_text

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from nbtools import build  # noqa: E402

pytestmark = pytest.mark.browser

SMOKE = [
    ("md", "# Smoke"),
    (
        "code",
        "import ipywidgets as w\nimport plotly.graph_objects as go\nfrom sysdesign.widgets import Chart\n"
        "s = w.IntSlider(value=3, min=0, max=10, description='Count')\n"
        "out = w.HTML('square 9').add_class('sd-smoke-out')\n"
        "fig = Chart(go.Figure(layout_title_text='title 3'), 'sd-smoke-chart')\n"
        "def f(change):\n    out.value = f'square {change.new ** 2}'\n"
        "    with fig.batch_update():\n        fig.figure.layout.title.text = f'title {change.new}'\n"
        "s.observe(f, names='value')\nw.VBox([s, out, fig])",
    ),
]


def test_slider_updates_label_and_plotly_title(page, lab, lab_dir):
    build(lab_dir / "smoke.ipynb", SMOKE)
    open_notebook(page, lab, "smoke.ipynb")
    wait_text(page, ".sd-smoke-out", "square 9")
    set_slider(page, "Count", 7)
    wait_text(page, ".sd-smoke-out", "square 49")
    wait_text(page, ".js-plotly-plot .gtitle", "title 7")
    assert text_of(page, ".js-plotly-plot .gtitle") == "title 7"
