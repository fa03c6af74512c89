"""measure: every probe returns positive timings, within its time budget, and leaves nothing behind."""

from __future__ import annotations

import glob
import os
import socket
import tempfile
import threading
import time

import pytest
from sysdesign import measure


def _leftovers() -> set[str]:
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "sysdesign-measure-*")))


@pytest.fixture
def private_tmp(monkeypatch, tmp_path):
    """A temporary folder of this test's own: a lesson running measure() at the same time (nbval on
    the other worker) leaves its files elsewhere."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


def _threads_back_to(count: int, timeout_s: float = 10.0) -> bool:
    """Wait until at most ``count`` threads run (a stopped thread can take a moment to finish)."""
    deadline = time.monotonic() + timeout_s
    while threading.active_count() > count and time.monotonic() < deadline:
        time.sleep(0.01)
    return threading.active_count() <= count


def test_measure_returns_positive_timings_and_leaves_nothing_behind(private_tmp):
    # Its wall time against the budget is measured by benchmarks/bench_budgets.py.
    before, threads = _leftovers(), threading.active_count()
    table = measure.measure(budget_s=0.6)
    assert len(table) == 6
    assert (table["measured_s"] > 0).all(), table[["operation", "measured_s", "note"]]
    assert (table["reference_s"] > 0).all()
    assert table["ratio"].tolist() == pytest.approx((table["measured_s"] / table["reference_s"]).tolist())
    assert table["note"].str.len().min() > 10
    assert _leftovers() == before, "temporary files were left behind"
    assert _threads_back_to(threads), "the echo thread is still running"


@pytest.mark.parametrize(
    ("probe", "low", "high"),
    [
        # Bounds are generous physics, not this machine: nothing here beats 0.1 ns, and anything
        # slower than 10 ms means the probe is measuring something else.
        (lambda: measure.memory_random_read(0.05, array_mb=8), 1e-10, 1e-5),
        (lambda: measure.memory_sequential_read(0.05, array_mb=8), 1e-6, 1e-2),
        (lambda: measure.sqlite_query(0.05, rows=1000), 1e-7, 1e-2),
        (lambda: measure.tcp_round_trip(0.05), 1e-7, 1e-2),
    ],
)
def test_single_probes(probe, low, high):
    timing = probe()
    assert low < timing.seconds < high
    assert timing.batches >= 3


def test_file_reads_clean_up(private_tmp):
    before = _leftovers()
    small, big = measure.file_reads(0.05, file_mb=4)
    assert 0 < small.seconds < big.seconds  # 4 KB is quicker to read than 1 MB
    assert _leftovers() == before


# That budget_s bounds one probe's wall time is measured by benchmarks/bench_budgets.py.


def test_tcp_uses_loopback_only(monkeypatch):
    seen = []
    real = socket.socket.bind

    def spy(self, address):
        seen.append(address[0])
        return real(self, address)

    monkeypatch.setattr(socket.socket, "bind", spy)
    measure.tcp_round_trip(0.02)
    assert seen == ["127.0.0.1"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: measure.measure(budget_s=0), r"budget_s must be a number in \[0.1, 30\]"),
        (lambda: measure.measure(budget_s=100), r"budget_s must be a number in \[0.1, 30\]"),
        (lambda: measure.memory_random_read(array_mb=0), r"array_mb must be a number in \[1, 1024\]"),
        (lambda: measure.tcp_round_trip(payload=0), r"payload must be a number in \[1, 65536\]"),
        (lambda: measure.sqlite_query(rows=1), r"rows must be a number in \[10, 1e\+06\]"),
    ],
)
def test_bad_input_names_the_parameter(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_a_probe_that_cannot_run_reports_nan(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("sockets are disabled")

    monkeypatch.setattr(measure, "tcp_round_trip", refuse)
    table = measure.measure(budget_s=0.3).set_index("operation")
    row = table.loc["TCP round trip on 127.0.0.1 (64 bytes)"]
    assert row["measured"] == "n/a"
    assert "sockets are disabled" in row["note"]
    assert table["measured_s"].notna().sum() == 5
