"""The estimation explorer: moving a control updates every view to the right figure.

Expected values are worked out here from the arithmetic of the template (messages per day =
DAU x messages per user; QPS = messages per day / 86,400 s, or / 100,000 s for quick math; bytes
per day = messages x share x size; five years = 5 x 365 days), never read back from the widget.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from sysdesign.estimate import CHAT_APP
from sysdesign.widgets import Explorer
from sysdesign.widgets.estimation import estimation_explorer

DAY = 86_400  # exact seconds per day
QUICK_DAY = 100_000  # quick-math seconds per day


class _Rows(HTMLParser):
    """The cells of an HTML table, row by row (header row included)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def rows(html: str) -> dict[str, list[str]]:
    """Table body keyed by the 'quantity' column."""
    parser = _Rows()
    parser.feed(html)
    header, *body = parser.rows
    key = header.index("quantity")
    return {row[key]: row for row in body}


def qps_in(headline: str) -> tuple[float, float]:
    """The average and peak QPS the headline states, as numbers."""
    match = re.search(r"Average ([\d,]+) QPS, peak ([\d,]+) QPS", headline)
    assert match, headline
    return float(match.group(1).replace(",", "")), float(match.group(2).replace(",", ""))


@pytest.fixture
def ex() -> Explorer:
    return estimation_explorer()


def test_views_carry_stable_css_classes(ex):
    for name, css in [
        ("headline", "sd-estimation-headline"),
        ("table", "sd-estimation-table"),
        ("growth", "sd-estimation-growth"),
        ("compare", "sd-estimation-compare"),
    ]:
        assert css in ex.views[name]._dom_classes
    for name in ("headline", "table", "growth", "compare"):
        assert ex.views[name] in ex.children
    assert "sd-estimation" in ex._dom_classes


def test_controls_are_labelled_for_readers_and_browser_tests(ex):
    labels = {c.description for c in ex.controls.values()}
    assert {
        "DAU (millions)",
        "Messages per user per day",
        "Peak factor",
        "Media share (%)",
        "Text size (bytes)",
        "Media size (KB)",
        "Retention (years)",
        "Connections per server",
    } <= labels
    assert any(label.startswith("Fan-out") for label in labels)
    assert any(label.startswith("Online share") for label in labels)
    assert any(label.startswith("Quick math") for label in labels)


def test_starts_on_the_chat_estimate(ex):
    # 50M x 10 = 500M messages; 500M / 86,400 = 5,787.04; x3 = 17,361.1
    assert "Average 5,787 QPS, peak 17,361 QPS" in ex.views["headline"].value
    # 5 x 365 x (450M x 200 B + 50M x 200 KB) = 1,825 x 10.09 TB = 18.41 PB
    assert ex.views["growth"].figure.layout.title.text == "Storage after 5 years: 18.4 PB"
    assert ex.status.value == ""


CHANGES = [
    # (control, new value, expected headline): arithmetic in the comment
    ("dau_millions", 100, "Average 11,574 QPS, peak 34,722 QPS"),  # 1e9 / 86,400 = 11,574.07; x3 = 34,722.2
    ("per_user_per_day", 20, "Average 11,574 QPS, peak 34,722 QPS"),  # 50M x 20 = 1e9, as above
    ("dau_millions", 1, "Average 116 QPS, peak 347 QPS"),  # 10M / 86,400 = 115.74; x3 = 347.2
    ("peak_factor", 2.0, "Average 5,787 QPS, peak 11,574 QPS"),  # 5,787.04 x 2 = 11,574.07
    ("peak_factor", 5.5, "Average 5,787 QPS, peak 31,829 QPS"),  # 5,787.04 x 5.5 = 31,828.7
    ("quick", True, "Average 5,000 QPS, peak 15,000 QPS"),  # 500M / 100,000 = 5,000; x3
]


@pytest.mark.parametrize(("control", "value", "expected"), CHANGES)
def test_changing_a_control_updates_the_headline(ex, control, value, expected):
    ex.controls[control].value = value
    assert expected in ex.views["headline"].value
    assert ex.status.value == ""


def test_quick_math_is_labelled_in_the_headline(ex):
    assert "quick math" not in ex.views["headline"].value
    ex.controls["quick"].value = True
    assert "quick math" in ex.views["headline"].value


TITLES = [
    # (control, value, chart title): total = years x 365 x (text bytes/day + media bytes/day)
    ("retention_years", 10, "Storage after 10 years: 36.8 PB"),  # 3,650 x 10.09 TB = 36.83 PB
    ("retention_years", 1, "Storage after 1 year: 3.68 PB"),  # 365 x 10.09 TB = 3.683 PB
    # 1,825 days x (495M x 200 B + 5M x 200 KB = 1.099 TB a day) = 2.006 PB
    ("media_percent", 1, "Storage after 5 years: 2.01 PB"),
    # 1,825 days x (450M x 1 KB + 10 TB = 10.45 TB a day) = 19.07 PB
    ("text_bytes", 1_000, "Storage after 5 years: 19.1 PB"),
    # 1,825 days x (90 GB + 50M x 500 KB = 25.09 TB a day) = 45.79 PB
    ("media_kb", 500, "Storage after 5 years: 45.8 PB"),
    ("dau_millions", 100, "Storage after 5 years: 36.8 PB"),  # twice the users, twice the bytes
]


@pytest.mark.parametrize(("control", "value", "title"), TITLES)
def test_changing_a_control_updates_the_growth_chart_title(ex, control, value, title):
    ex.controls[control].value = value
    assert ex.views["growth"].figure.layout.title.text == title


def test_growth_chart_plots_each_year_on_a_log_axis(ex):
    ex.controls["retention_years"].value = 3
    chart = ex.views["growth"].figure
    assert chart.layout.yaxis.type == "log"
    traces = {trace.name: trace for trace in chart.data}
    assert set(traces) == {"text", "media", "total"}
    text_per_day, media_per_day = 450e6 * 200, 50e6 * 200e3  # 90 GB and 10 TB a day
    assert list(traces["total"].x) == [1, 2, 3]
    assert list(traces["text"].y) == pytest.approx([y * 365 * text_per_day for y in (1, 2, 3)])
    assert list(traces["media"].y) == pytest.approx([y * 365 * media_per_day for y in (1, 2, 3)])
    total_per_day = text_per_day + media_per_day
    assert list(traces["total"].y) == pytest.approx([y * 365 * total_per_day for y in (1, 2, 3)])


def test_growth_chart_labels_powers_of_ten_as_sizes(ex):
    # Smallest point: 1 year of text, 365 x 90 GB = 32.9 TB (above 10 TB); largest: 5 years of
    # everything, 18.4 PB (below 100 PB). So ticks at 10 TB, 100 TB, 1 PB, 10 PB and 100 PB.
    yaxis = ex.views["growth"].figure.layout.yaxis
    assert list(yaxis.ticktext) == ["10 TB", "100 TB", "1 PB", "10 PB", "100 PB"]
    assert list(yaxis.tickvals) == pytest.approx([1e13, 1e14, 1e15, 1e16, 1e17])
    ex.controls["media_percent"].value = 0  # text only: 32.9 TB to 5 x 365 x 100 GB = 183 TB
    assert list(ex.views["growth"].figure.layout.yaxis.ticktext) == ["10 TB", "100 TB", "1 PB"]


def test_template_table_follows_the_controls(ex):
    table = rows(ex.views["table"].value)
    assert table["items per day"][2] == "500 million"  # 50M x 10
    assert table["servers"][2] == "1,500"  # 50M x 30 % / 10K
    ex.controls["dau_millions"].value = 100
    ex.controls["per_server"].value = 20_000
    table = rows(ex.views["table"].value)
    assert table["items per day"][2] == "1 billion"  # 100M x 10
    assert table["concurrent"][2] == "30 million"  # 100M x 30 %
    assert table["servers"][2] == "1,500"  # 30M / 20K
    # 2 x 10.09 TB a day / 86,400 s = 233.6 MB/s in; x5 = 1.168 GB/s out
    assert table["egress (5x fan-out)"][2] == "1.17 GB/s"


def test_online_share_and_quick_math_reach_the_table(ex):
    ex.controls["online_percent"].value = 12
    table = rows(ex.views["table"].value)
    assert table["servers"][2] == "600"  # 50M x 12 % = 6M; / 10K
    ex.controls["quick"].value = True
    assert rows(ex.views["table"].value)["average QPS"][2] == "5,000"  # 500M / 100,000


def test_comparison_shows_exact_and_quick_side_by_side(ex):
    table = rows(ex.views["compare"].value)
    assert table["seconds per day"][1:] == ["86,400", "100,000"]
    assert table["average QPS"][1:] == ["5,787", "5,000"]  # 500M / 86,400 and / 100,000
    assert table["peak QPS"][1:] == ["17,361", "15,000"]
    # (90 GB + 10 TB) a day = 10.09 TB; / 86,400 = 116.8 MB/s, / 100,000 = 100.9 MB/s
    assert table["ingress"][1:] == ["117 MB/s", "101 MB/s"]
    assert table["egress"][1] == "584 MB/s"  # 116.8 MB/s x5 fan-out = 583.9 MB/s
    # 100.9 MB/s x5 = 504.5 MB/s: a tie at three figures, so either neighbour will do
    assert float(table["egress"][2].split()[0]) == pytest.approx(504.5, abs=0.5)
    # The checkbox switches the template, not the comparison.
    ex.controls["quick"].value = True
    assert rows(ex.views["compare"].value)["average QPS"][1:] == ["5,787", "5,000"]


def test_fanout_changes_egress_only(ex):
    ex.controls["fanout"].value = 10
    table = rows(ex.views["compare"].value)
    assert table["ingress"][1] == "117 MB/s"
    assert table["egress"][1] == "1.17 GB/s"  # 116.8 MB/s x 10


@pytest.mark.parametrize(
    ("control", "bad", "parameter"),
    [
        ("peak_factor", 0.5, "peak_factor"),  # the library wants a peak factor >= 1
        ("per_server", 0, "per_server"),  # a server must hold at least one connection
    ],
)
def test_bad_values_show_in_the_status_line_and_keep_the_last_good_views(ex, control, bad, parameter):
    before = ex.views["headline"].value
    ex.controls[control].min = 0  # the slider's range keeps learners out; widen it to force a bad value
    ex.controls[control].value = bad
    assert parameter in ex.status.value
    assert "⚠" in ex.status.value
    assert ex.views["headline"].value == before
    ex.controls["peak_factor"].value = 3.0
    ex.controls["per_server"].value = 10_000
    assert ex.status.value == ""


def test_a_custom_scenario_sets_the_starting_controls():
    big = replace(CHAT_APP, dau=2e9, per_user_per_day=40, retention_years=3)
    ex = estimation_explorer(big)
    assert ex.controls["dau_millions"].value == pytest.approx(2_000)
    # 2e9 x 40 = 80e9 a day; / 86,400 = 925,925.9; x3 = 2,777,777.8 ("2.78 million")
    assert "Average 925,926 QPS, peak 2.78 million QPS" in ex.views["headline"].value
    assert ex.views["growth"].figure.layout.title.text.startswith("Storage after 3 years:")


_SHARED: dict[str, Explorer] = {}


# No shrink phase: each example re-renders the explorer four times, and shrinking a failure took minutes.
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
@given(
    dau=st.integers(min_value=1, max_value=400),
    per_user=st.integers(min_value=1, max_value=200),
    peak=st.sampled_from([1.0, 1.5, 2.0, 3.0, 4.5, 10.0]),
    quick=st.booleans(),
)
def test_headline_matches_the_arithmetic_for_any_inputs(dau, per_user, peak, quick):
    avg = dau * 1e6 * per_user / (QUICK_DAY if quick else DAY)
    assume(avg * peak < 999_000)  # above a million the headline switches to words ("2.78 million")
    ex = _SHARED.setdefault("ex", estimation_explorer())
    ex.controls["dau_millions"].value = dau
    ex.controls["per_user_per_day"].value = per_user
    ex.controls["peak_factor"].value = peak
    ex.controls["quick"].value = quick
    shown_avg, shown_peak = qps_in(ex.views["headline"].value)
    assert shown_avg == pytest.approx(avg, abs=0.5)
    assert shown_peak == pytest.approx(avg * peak, abs=0.5)
    assert shown_peak >= shown_avg
