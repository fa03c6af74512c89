"""Update latency of the deep-dive explorers (lesson 06) and of the simulations behind them.

    .venv/bin/python benchmarks/bench_deep_dive.py

Each explorer is timed over at least 50 control changes; the memoised calls inside the widgets are
cleared before each run so every change recomputes what it would on first sight.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _timing  # noqa: E402
from sysdesign import schema  # noqa: E402
from sysdesign.sim import caching, failure, sharding  # noqa: E402
from sysdesign.widgets import deep_dive  # noqa: E402

TARGET_MS = 150.0


def _cycle(values: list, n: int = 50) -> list:
    return list(itertools.islice(itertools.cycle(values), n))


def _clear() -> None:
    for fn in (
        deep_dive._explain,
        deep_dive._chat_data,
        deep_dive._loads,
        deep_dive._moved,
        deep_dive._hit,
        deep_dive._curve,
        deep_dive._presence,
        deep_dive._storm,
        deep_dive._crash,
    ):
        fn.cache_clear()


def main() -> None:
    print("Simulations (one call each)")
    data = sharding.chat_data()
    calls = [
        (
            "schema.explain_history_query, no index, 50k rows",
            lambda _: schema.explain_history_query(False),
            range(20),
        ),
        ("schema.explain_history_query, index", lambda _: schema.explain_history_query(True), range(20)),
        (
            "sharding.shards_touched, 100k messages",
            lambda n: sharding.shards_touched("user_id", "chat_history", n, data),
            range(2, 52),
        ),
        (
            "sharding.keys_moved consistent, 20k keys",
            lambda n: sharding.keys_moved("consistent", n, n + 1, 20_000),
            range(2, 52),
        ),
        (
            "caching.lru_hit_ratio, 60k requests",
            lambda c: caching.lru_hit_ratio(c, n_requests=60_000),
            range(100, 10_001, 200),
        ),
        (
            "caching.presence, 800 users, 1 h",
            lambda t: caching.presence(t, 30, 5, n_users=800),
            range(5, 255, 5),
        ),
        (
            "failure.crash, 10k connections, no jitter",
            lambda s: failure.crash(10_000, "push_first", False, seed=s),
            range(50),
        ),
        (
            "failure.reconnect_storm, 50k, no jitter",
            lambda s: failure.reconnect_storm(50_000, False, seed=s),
            range(50),
        ),
    ]
    for name, call, inputs in calls:
        print(_timing.row(name, _timing.time_calls(call, inputs), TARGET_MS))

    print("Explorers (one control change each, caches cleared first)")
    cases = [
        (
            "schema_explorer: index on/off",
            deep_dive.schema_explorer,
            "index",
            _cycle([deep_dive._INDEX_OFF, deep_dive._INDEX_ON]),
        ),
        ("sharding_explorer: shards N", deep_dive.sharding_explorer, "n_shards", list(range(3, 64))),
        (
            "sharding_explorer: shard key",
            deep_dive.sharding_explorer,
            "shard_key",
            _cycle(["user_id", "chat_id"]),
        ),
        (
            "sharding_explorer: skew",
            deep_dive.sharding_explorer,
            "skew",
            _cycle([x / 10 for x in range(16)], 64),
        ),
        ("caching_explorer: cache size", deep_dive.caching_explorer, "cache_percent", list(range(2, 101, 2))),
        (
            "caching_explorer: skew",
            deep_dive.caching_explorer,
            "skew",
            _cycle([x / 10 for x in range(16)], 64),
        ),
        (
            "caching_explorer: presence TTL",
            deep_dive.caching_explorer,
            "ttl",
            list(range(5, 181, 5)) + list(range(175, 100, -5)),
        ),
        (
            "failure_explorer: connections",
            deep_dive.failure_explorer,
            "connections",
            list(range(1_000, 50_001, 1_000)),
        ),
        (
            "failure_explorer: order",
            deep_dive.failure_explorer,
            "order",
            _cycle(["push_first", "persist_first"]),
        ),
        ("failure_explorer: jitter", deep_dive.failure_explorer, "jitter", _cycle([False, True])),
    ]
    for name, make, control, values in cases:
        _clear()
        explorer = make()
        print(_timing.row(name, _timing.time_explorer(explorer, control, values), TARGET_MS))


if __name__ == "__main__":
    main()
