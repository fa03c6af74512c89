"""Time a few cheat-sheet operations on this machine, in a couple of seconds, next to the reference figures.

Every probe is bounded in time (its share of ``budget_s`` plus a small set-up), touches the
network only on 127.0.0.1, and removes its temporary files. The figures are medians of batches
timed with ``time.perf_counter``; they include Python's own overhead, which the note of each row
explains. A probe that cannot run here (no loopback socket, say) gives NaN and the reason, not
an exception.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import _check, reference
from .units import format_duration

_MB = 1_000_000


@dataclass(frozen=True)
class Timing:
    """One probe: ``seconds`` per operation (median over ``batches`` batches of ``per_batch`` operations)."""

    operation: str
    seconds: float
    batches: int
    per_batch: int


def _batches(
    run_batch: Callable[[], None], per_batch: int, budget_s: float, max_batches: int = 400
) -> tuple[float, int]:
    """Run ``run_batch`` until ``budget_s`` is spent (at least 3 times); median seconds per operation."""
    samples: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(samples) < max_batches and (len(samples) < 3 or time.perf_counter() < deadline):
        start = time.perf_counter()
        run_batch()
        samples.append((time.perf_counter() - start) / per_batch)
    return statistics.median(samples), len(samples)


def _budget(budget_s: float) -> float:
    return _check.number("budget_s", budget_s, low=0.01, high=30)


def memory_random_read(budget_s: float = 0.3, array_mb: float = 64, seed: int = 0) -> Timing:
    """Random 8-byte reads from an ``array_mb`` MB array (bigger than CPU caches), per read.

    numpy gathers many independent reads at once and the CPU overlaps their cache misses, so this
    is a throughput figure, lower than one isolated main-memory reference.
    """
    budget = _budget(budget_s)
    size = int(_check.number("array_mb", array_mb, low=1, high=1024) * _MB // 8)
    data = np.arange(size, dtype=np.int64)
    index = np.random.default_rng(seed).integers(0, size, 100_000)
    seconds, count = _batches(lambda: data[index].sum(), len(index), budget)
    return Timing(f"Random 8-byte read from a {array_mb:g} MB array", seconds, count, len(index))


def memory_sequential_read(budget_s: float = 0.3, array_mb: float = 64) -> Timing:
    """Copy ``array_mb`` MB from one array to another; seconds per MB copied (read plus write)."""
    budget = _budget(budget_s)
    size = int(_check.number("array_mb", array_mb, low=1, high=1024) * _MB)
    source = np.ones(size, dtype=np.uint8)
    target = np.zeros(size, dtype=np.uint8)
    seconds, count = _batches(lambda: np.copyto(target, source), 1, budget, max_batches=200)
    return Timing("Copy 1 MB in memory", seconds * _MB / size, count, 1)


def file_reads(budget_s: float = 0.3, file_mb: float = 16, seed: int = 0) -> tuple[Timing, Timing]:
    """Random 4 KB reads and sequential 1 MB reads of a file just written to a temporary folder.

    The file was just written, so the operating system answers from its page cache (RAM); a cold
    read from the SSD itself is slower. The file is deleted afterwards.
    """
    budget = _budget(budget_s)
    size = int(_check.number("file_mb", file_mb, low=2, high=1024) * _MB)
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory(prefix="sysdesign-measure-") as folder:
        path = Path(folder) / "probe.bin"
        path.write_bytes(rng.integers(0, 256, size, dtype=np.uint8).tobytes())
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            offsets = (rng.integers(0, size // 4096, 1000) * 4096).tolist()

            def random_4k() -> None:
                for offset in offsets:
                    _pread(fd, 4096, offset)

            def sequential_1mb() -> None:
                for start in range(0, size - _MB + 1, _MB):
                    _pread(fd, _MB, start)

            small, n_small = _batches(random_4k, len(offsets), budget / 2)
            big, n_big = _batches(sequential_1mb, size // _MB, budget / 2)
        finally:
            os.close(fd)
    return (
        Timing("Read 4 KB at a random offset of a cached file", small, n_small, len(offsets)),
        Timing("Read 1 MB sequentially from a cached file", big, n_big, size // _MB),
    )


def _pread(fd: int, length: int, offset: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, length, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # Windows has no pread
    return os.read(fd, length)


def sqlite_query(budget_s: float = 0.3, rows: int = 10_000, seed: int = 0) -> Timing:
    """Primary-key lookups in a ``rows``-row SQLite table in a temporary file, per query (in-process)."""
    budget = _budget(budget_s)
    count = int(_check.number("rows", rows, low=10, high=1_000_000))
    keys = np.random.default_rng(seed).integers(1, count + 1, 1000).tolist()
    with tempfile.TemporaryDirectory(prefix="sysdesign-measure-") as folder:
        db = sqlite3.connect(Path(folder) / "probe.db")
        try:
            db.execute("CREATE TABLE message (id INTEGER PRIMARY KEY, chat_id INTEGER, body TEXT)")
            with db:
                db.executemany(
                    "INSERT INTO message VALUES (?, ?, ?)",
                    ((i, i % 97, "x" * 100) for i in range(1, count + 1)),
                )
            query = "SELECT body FROM message WHERE id = ?"

            def lookups() -> None:
                for key in keys:
                    db.execute(query, (key,)).fetchone()

            seconds, n = _batches(lookups, len(keys), budget)
        finally:
            db.close()
    return Timing("SQLite primary-key lookup", seconds, n, len(keys))


def tcp_round_trip(budget_s: float = 0.3, payload: int = 64, timeout_s: float = 2.0) -> Timing:
    """Send ``payload`` bytes to an echo thread over TCP on 127.0.0.1 and wait for them; per round trip."""
    budget = _budget(budget_s)
    size = int(_check.number("payload", payload, low=1, high=65_536))
    wait = _check.number("timeout_s", timeout_s, low_open=True, high=30)
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.settimeout(wait)
    client: socket.socket | None = None
    thread: threading.Thread | None = None
    try:
        server.bind(("127.0.0.1", 0))
        server.listen(1)

        def echo() -> None:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(wait)
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                try:
                    while data := conn.recv(65_536):
                        conn.sendall(data)
                except OSError:
                    return

        thread = threading.Thread(target=echo, name="sysdesign-echo", daemon=True)
        thread.start()
        client = socket.create_connection(server.getsockname(), timeout=wait)
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        message = b"m" * size
        trips = 100

        def ping_pong() -> None:
            assert client is not None
            for _ in range(trips):
                client.sendall(message)
                got = 0
                while got < size:
                    chunk = client.recv(size - got)
                    if not chunk:
                        raise ConnectionError("the echo server closed the connection")
                    got += len(chunk)

        seconds, n = _batches(ping_pong, trips, budget)
    finally:
        if client is not None:
            client.close()
        server.close()
        if thread is not None:
            thread.join(timeout=wait)
    return Timing(f"TCP round trip on 127.0.0.1 ({size} bytes)", seconds, n, trips)


def _classic(operation: str) -> float:
    return float(reference.latency().set_index("operation").loc[operation, "seconds"])


def _modern(operation: str) -> float:
    return float(reference.latency_modern().set_index("operation").loc[operation, "in_2020_s"])


def _db_query_s() -> float:
    high = reference.throughput().set_index("component").loc["MySQL server (simple queries)", "high"]
    return 1.0 / float(high)


# probe name -> (reference label, reference seconds, note)
_REFERENCES: dict[str, tuple[str, Callable[[], float], str]] = {
    "memory_random": (
        "RAM reference (cheat sheet)",
        lambda: _classic("RAM reference"),
        "Many reads in flight at once: a throughput figure, below one isolated memory reference.",
    ),
    "memory_sequential": (
        "Read 1 MB sequentially from memory (2020)",
        lambda: _modern("Read 1 MB sequentially from memory"),
        "A copy reads and writes every byte; the 2020 figure is a trend extrapolation.",
    ),
    "file_random": (
        "SSD random read (cheat sheet)",
        lambda: _classic("SSD random read"),
        "Served from the OS page cache, not the SSD: the file had just been written.",
    ),
    "file_sequential": (
        "Read 1 MB sequentially from SSD (2020)",
        lambda: _modern("Read 1 MB sequentially from SSD"),
        "Also from the page cache, plus Python allocating the 1 MB result.",
    ),
    "sqlite": (
        "One simple query on a database server at 10,000 queries/s",
        _db_query_s,
        "In-process: no network, no other clients; a server's figure is shared capacity, "
        "not one query's latency.",
    ),
    "tcp": (
        "Round trip within a datacenter (cheat sheet)",
        lambda: _classic("Round trip within a datacenter"),
        "Loopback never leaves the machine: no wire, no switches, just two trips through the kernel.",
    ),
}


def measure(budget_s: float = 2.0) -> pd.DataFrame:
    """Run every probe within about ``budget_s`` seconds (in [0.1, 30]) and compare with the references.

    Columns: ``operation``, ``measured_s`` (seconds per operation; NaN if the probe could not run),
    ``measured`` (readable), ``reference``, ``reference_s``, ``reference_readable``, ``ratio``
    (measured / reference) and ``note``.
    """
    total = _check.number("budget_s", budget_s, low=0.1, high=30)
    share = total / 6  # six rows; set-up (allocating, writing the file) comes on top, ~0.2 s in all
    probes: list[tuple[str, Callable[[], list[Timing]]]] = [
        ("memory_random", lambda: [memory_random_read(share)]),
        ("memory_sequential", lambda: [memory_sequential_read(share)]),
        ("file", lambda: list(file_reads(2 * share))),
        ("sqlite", lambda: [sqlite_query(share)]),
        ("tcp", lambda: [tcp_round_trip(share)]),
    ]
    labels = {
        "memory_random": ["Random 8-byte read from a 64 MB array"],
        "memory_sequential": ["Copy 1 MB in memory"],
        "file": [
            "Read 4 KB at a random offset of a cached file",
            "Read 1 MB sequentially from a cached file",
        ],
        "sqlite": ["SQLite primary-key lookup"],
        "tcp": ["TCP round trip on 127.0.0.1 (64 bytes)"],
    }
    keys = {"file": ["file_random", "file_sequential"]}
    rows = []
    for name, probe in probes:
        try:
            results: list[Timing | None] = list(probe())
            error = ""
        except (OSError, sqlite3.Error, MemoryError, ConnectionError) as exc:
            results, error = [None] * len(labels[name]), f"could not measure here: {exc}"
        for i, result in enumerate(results):
            key = keys.get(name, [name])[i]
            ref_label, ref_seconds, note = _REFERENCES[key]
            ref = ref_seconds()
            seconds = result.seconds if result is not None else float("nan")
            rows.append(
                {
                    "operation": result.operation if result is not None else labels[name][i],
                    "measured_s": seconds,
                    "measured": format_duration(seconds) if result is not None else "n/a",
                    "reference": ref_label,
                    "reference_s": ref,
                    "reference_readable": format_duration(ref),
                    "ratio": seconds / ref,
                    "note": error or note,
                }
            )
    return pd.DataFrame(rows)
