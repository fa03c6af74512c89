"""Leader-follower replication: latency, failover losses and stale reads (sysdesign.sim.replication).

Expected numbers come from the model's arithmetic, written next to each case:
- a fixed lag L (jitter 0) and a local commit l: async acknowledges after l, semi-sync and sync
  after L; a write is acknowledged and on no follower for L - l, so by Little's law a Poisson stream
  of r writes/s keeps r * (L - l) writes at risk on average, and a crash at T loses the writes that
  arrived in (T - L, T - l];
- exponential lags of mean L (jitter 1): semi-sync waits for the fastest of n followers, whose lag
  has mean L / n; sync for the slowest, mean L * (1 + 1/2 + ... + 1/n) (order statistics of the
  exponential distribution);
- MySQL's semisynchronous replication waits for one replica by default
  (rpl_semi_sync_source_wait_for_replica_count = 1, MySQL reference manual 19.4.10).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.sim import replication
from sysdesign.sim.replication import compare, confirmations, read_your_writes, replicate, timeline
from sysdesign.widgets.replication import replication_explorer


@pytest.mark.parametrize(
    ("mode", "replicas", "expected"),
    [("async", 3, 0), ("semi-sync", 3, 1), ("sync", 3, 3), ("sync", 1, 1), ("semi-sync", 5, 1)],
)
def test_confirmations(mode, replicas, expected):
    assert confirmations(mode, replicas) == expected


@pytest.mark.parametrize(("mode", "latency_ms"), [("async", 1.0), ("semi-sync", 80.0), ("sync", 80.0)])
def test_fixed_lag_latency(mode, latency_ms):
    run = replicate(mode, lag_ms=80, write_rate=100, jitter=0, local_ms=1, seed=2)
    assert run.latency_ms == pytest.approx(np.full(run.arrive.size, latency_ms))


def test_async_keeps_rate_times_exposure_at_risk():
    run = replicate("async", lag_ms=100, write_rate=1_000, jitter=0, local_ms=1, duration_s=10, seed=5)
    mean = run.at_risk(np.linspace(1, 9, 2_001)).mean()
    assert mean == pytest.approx(1_000 * (0.100 - 0.001), rel=0.05)  # 99 writes


@pytest.mark.parametrize("crash_s", [2.0, 5.5, 10.0])
def test_async_crash_loses_the_writes_of_the_last_lag(crash_s):
    run = replicate("async", lag_ms=100, write_rate=300, jitter=0, local_ms=1, crash_s=crash_s, seed=7)
    a = run.arrive
    expected = int(((a > crash_s - 0.100) & (a <= crash_s - 0.001)).sum())
    assert expected > 10 and run.lost == expected


def test_exponential_lags_fastest_and_slowest_follower():
    # Low rate and short lag: the in-order rule and the 1 ms commit barely move the means.
    kw = dict(lag_ms=20, write_rate=20, jitter=1, local_ms=0, duration_s=1_200, replicas=3, seed=1)
    semi = replicate("semi-sync", **kw).latency_ms.mean()
    sync = replicate("sync", **kw).latency_ms.mean()
    assert semi == pytest.approx(20 / 3, rel=0.1)
    assert sync == pytest.approx(20 * (1 + 1 / 2 + 1 / 3), rel=0.1)


def test_stale_reads_with_a_fixed_lag():
    run = replicate("async", lag_ms=100, write_rate=100, jitter=0, local_ms=1, seed=3)
    assert run.stale_share(90) == 1.0  # the follower gets it 99 ms after the ack
    assert run.stale_share(100) == 0.0
    assert replicate("sync", lag_ms=100, write_rate=100, seed=3).stale_share(0) == 0.0


def test_read_your_writes_strategies():
    run = replicate("async", lag_ms=100, write_rate=100, jitter=0, local_ms=1, seed=3)
    t = read_your_writes(run, 30, primary_window_ms=1_000).set_index("strategy")
    assert t.loc["any follower", "stale reads"] == 1.0
    assert t.loc["primary for a while", "stale reads"] == 0.0
    assert t.loc["primary for a while", "reads on primary"] == 1.0
    assert t.loc["version token", "stale reads"] == 0.0
    assert t.loc["version token", "mean wait (ms)"] == pytest.approx(100 - 1 - 30)
    late = read_your_writes(run, 30, primary_window_ms=10).set_index("strategy")
    assert late.loc["primary for a while", "stale reads"] == 1.0  # the window closed before the read


def test_compare_table():
    t = compare(lag_ms=50, write_rate=500, read_after_ms=0, seed=1).set_index("mode")
    assert t.loc["async", "lost acknowledged writes"] > 0
    assert t.loc["sync", "stale reads"] == 0.0
    assert (
        t.loc["async", "latency p50 (ms)"]
        < t.loc["semi-sync", "latency p50 (ms)"]
        < t.loc["sync", "latency p50 (ms)"]
    )


def test_timeline():
    run = replicate("async", lag_ms=100, write_rate=50, jitter=0, local_ms=1, seed=1)
    tl = timeline(run, 11)
    assert list(tl["t"]) == pytest.approx(np.linspace(0, 10, 11))
    assert tl["lag 2 (ms)"].iloc[1:].tolist() == pytest.approx([100.0] * 10)
    assert tl["at risk"].iloc[-1] == run.lost


@settings(max_examples=40, deadline=None)
@given(
    lag=st.floats(0, 300),
    rate=st.floats(1, 2_000),
    replicas=st.integers(1, 4),
    jitter=st.floats(0, 1),
    seed=st.integers(0, 1_000),
)
def test_semi_and_sync_never_lose_an_acknowledged_write(lag, rate, replicas, jitter, seed):
    kw = dict(replicas=replicas, jitter=jitter, duration_s=2, seed=seed)
    semi, sync = (replicate(m, lag, rate, **kw) for m in ("semi-sync", "sync"))
    assert semi.lost == sync.lost == 0
    assert (semi.latency_ms <= sync.latency_ms + 1e-9).all()  # the fastest follower is no slower
    a = replicate("async", lag, rate, **kw)
    slowest = (a.received - a.arrive[:, None]).max(initial=0.0)
    assert 0 <= a.lost <= (a.arrive > a.crash_s - slowest).sum()  # only the last lag's writes
    assert (np.diff(a.received, axis=0) >= 0).all()  # each follower applies the log in order
    assert a.unacknowledged == (a.arrive > a.crash_s - 0.001).sum()  # acked 1 ms after arrival


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        (dict(mode="quorum"), "mode"),
        (dict(lag_ms=-1), "lag_ms"),
        (dict(write_rate=0), "write_rate"),
        (dict(replicas=0), "replicas"),
        (dict(replicas=1.5), "replicas"),
        (dict(jitter=2), "jitter"),
        (dict(crash_s=11), "crash_s"),
        (dict(write_rate=20_000, duration_s=3_600), "write_rate x duration_s"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, name):
    args = dict(mode="async", lag_ms=10, write_rate=10) | kwargs
    with pytest.raises((ValueError, TypeError), match=name):
        replicate(**args)


def test_modes_are_the_three_of_the_lesson():
    assert replication.MODES == ("async", "semi-sync", "sync")


# --------------------------------------------------------------------------- explorer


def test_explorer_table_and_chart_follow_the_controls():
    ex = replication_explorer()
    ex.controls["lag_ms"].value = 300
    ex.controls["mode"].value = "semi-sync"
    lost = replicate("async", 300, 200, replicas=2, seed=0).lost
    assert f"<td>async</td>\n      <td>0</td>\n      <td>{lost}</td>" in ex.views["table"].value
    assert ex.status.value == ""
    chart = ex.views["chart"].figure
    assert "semi-sync" in chart.layout.title.text
    assert max(chart.data[0].y) == 0  # semi-sync: nothing acknowledged is on the primary only
    assert len(chart.data) == 3 and len(chart.data[1].y) == 400
