"""The estimation template, checked against every figure of the syllabus's chat estimate.

Source of the expected numbers: ../shared/seed/system-design-interview-framework.txt, "Phase 2:
Back-of-Envelope Estimation" (50M DAU, 10 messages each, 3x peak, 200 B text, 10 % images of
200 KB, 5 years, 5 recipients, 30 % online, 10K connections per server).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sysdesign import estimate
from sysdesign.estimate import CHAT_APP, bandwidth, connections, storage, traffic

SEED_CHAT = [
    # (summary key, syllabus figure, relative tolerance: the syllabus rounds with "~")
    ("items_per_day", 500e6, 1e-12),  # "Total messages/day: 500M"
    ("avg_qps", 5_800, 0.01),  # "500M / 86400 = ~5,800"
    ("peak_qps", 17_400, 0.01),  # "QPS (peak, 3x): ~17,400"
    ("text_per_day", 90e9, 1e-12),  # "450M * 200B = 90GB/day"
    ("media_per_day", 10e12, 1e-12),  # "50M * 200KB = 10TB/day"
    ("text_total", 165e12, 0.01),  # "5-year text storage: ~165TB"
    ("media_total", 18e15, 0.02),  # "5-year image storage: ~18PB"
    ("ingress", 115e6, 0.02),  # "10TB/day = ~115MB/s" (images only; text adds under 1 %)
    ("egress", 575e6, 0.02),  # "~575MB/s outgoing" (5x fan-out)
    ("concurrent", 15e6, 1e-12),  # "15M WebSocket connections"
    ("servers", 1_500, 0),  # "~1,500 WebSocket servers"
]


@pytest.mark.parametrize(("key", "expected", "rel"), SEED_CHAT)
def test_chat_app_reproduces_the_syllabus(key, expected, rel):
    assert CHAT_APP.summary()[key] == pytest.approx(expected, rel=rel, abs=0)


def test_chat_table_has_every_template_row_with_units():
    table = CHAT_APP.table()
    assert list(table["section"].unique()) == ["Traffic", "Storage", "Bandwidth", "Connections"]
    assert table["unit"].notna().all() and len(table) == 11
    assert table.loc[table["quantity"] == "average QPS", "say"].item() == "about 6,000"


@pytest.mark.parametrize(
    ("kwargs", "avg"),
    [
        ({"per_day": 500e6}, 500e6 / 86_400),  # exact day
        ({"per_day": 500e6, "quick": True}, 5_000.0),  # quick-math day: 500M / 100K
        ({"per_month": 3e9}, 3e9 / (30 * 86_400)),  # 30-day month
        ({"per_month": 3e9, "quick": True}, 3e9 / 2.5e6),  # quick-math month: 2.5 M s
        ({"dau": 50e6, "per_user_per_day": 10}, 500e6 / 86_400),
    ],
)
def test_traffic_conventions(kwargs, avg):
    result = traffic(**kwargs)
    assert result.avg_qps == pytest.approx(avg)
    assert result.peak_qps == pytest.approx(3 * avg)


def test_storage_years_are_365_days_and_sizes_parse():
    assert storage(1e6, "1KB", years=1).total == pytest.approx(1e9 * 365)
    assert storage(1e6, 1000, days=30).total == pytest.approx(30e9)
    assert storage(10, 5).total == 50  # one day by default


def test_bandwidth_quick_and_fanout():
    assert bandwidth(1e12, quick=True).ingress == pytest.approx(1e7)
    assert bandwidth(86_400e6, fanout=2.5).egress == pytest.approx(2.5e6)


def test_connections_round_up():
    assert connections(1_000_001, 1.0, 1000).servers == 1001
    assert connections(0, 0.3, 10).servers == 0


@pytest.mark.parametrize(
    ("call", "names"),
    [
        (lambda: traffic(-1), "per_day"),
        (lambda: traffic(math.nan), "per_day"),
        (lambda: traffic(1, per_month=2), "per_month"),
        (lambda: traffic(dau=10), "per_user_per_day"),
        (lambda: traffic(per_user_per_day=10), "dau"),
        (lambda: traffic(), "per_day"),
        (lambda: traffic(10, peak_factor=0.5), "peak_factor"),
        (lambda: storage(1, "lots"), "size"),
        (lambda: storage(1, 1, days=1, years=1), "years"),
        (lambda: storage(-5, 1), "items_per_day"),
        (lambda: bandwidth(1, fanout=-1), "fanout"),
        (lambda: connections(10, 1.5, 10), "online_fraction"),
        (lambda: connections(10, 0.5, 0), "per_server"),
        (lambda: estimate.Scenario("x", dau=-1, per_user_per_day=1), "dau"),
    ],
)
def test_bad_input_names_the_parameter(call, names):
    with pytest.raises(ValueError, match=names):
        call()


def test_non_numbers_are_type_errors():
    with pytest.raises(TypeError, match="per_day"):
        traffic("many")  # type: ignore[arg-type]


volumes = st.floats(min_value=0, max_value=1e15, allow_nan=False)
factors = st.floats(min_value=1, max_value=100, allow_nan=False)


@given(per_day=volumes, peak=factors)
def test_quick_math_never_overstates_and_peak_scales(per_day, peak):
    exact, quick = traffic(per_day, peak_factor=peak), traffic(per_day, peak_factor=peak, quick=True)
    assert quick.avg_qps <= exact.avg_qps
    assert exact.peak_qps == pytest.approx(exact.avg_qps * peak)
    assert exact.avg_qps * 86_400 == pytest.approx(per_day)


@given(items=volumes, size=st.floats(min_value=0, max_value=1e9), years=st.floats(min_value=0, max_value=50))
def test_storage_total_is_per_day_times_days(items, size, years):
    s = storage(items, size, years=years)
    assert s.total == pytest.approx(s.per_day * 365 * years)


@given(
    dau=st.floats(min_value=0, max_value=1e10),
    share=st.floats(min_value=0, max_value=1),
    per_server=st.floats(min_value=1, max_value=1e6),
)
def test_servers_hold_every_connection(dau, share, per_server):
    c = connections(dau, share, per_server)
    assert c.servers * per_server >= c.concurrent * (1 - 1e-9)
    assert (c.servers - 1) * per_server < c.concurrent or c.servers == 0


@given(volume=volumes, fanout=st.floats(min_value=0, max_value=1000))
def test_egress_is_ingress_times_fanout(volume, fanout):
    b = bandwidth(volume, fanout=fanout)
    assert b.egress == pytest.approx(b.ingress * fanout)
