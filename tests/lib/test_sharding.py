"""Sharding the messages: fan-out by shard key, hot shards, and keys moved on resize.

Sources of the expected values:
* the syllabus (../shared/seed/system-design-interview-framework.txt, "Sharding Strategy"): by chat_id,
  "Fetching chat history is a single-shard query"; by user_id, loading one chat queries every shard;
* arithmetic for resizing from N to N+1 shards with h uniform: h % N == h % (N+1) exactly when
  h mod N(N+1) < N, so a key stays with probability 1/(N+1) and modulo moves N/(N+1) of the keys;
  a consistent-hash ring moves only the new shard's share, 1/(N+1) on average.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.sim import sharding
from sysdesign.sim.sharding import HashRing, keys_moved, moved_fraction, shards_touched


@pytest.fixture(scope="module")
def data() -> sharding.ChatData:
    return sharding.chat_data(n_users=5_000, n_chats=2_000, n_messages=40_000, seed=11)


@pytest.mark.parametrize("n", [1, 2, 16, 64])
def test_chat_id_makes_history_a_single_shard_query(data, n):
    f = shards_touched("chat_id", "chat_history", n, data)
    assert (f.touched, f.scatter_gather, f.holding_data_max) == (1, False, 1)


@pytest.mark.parametrize("n", [4, 16, 64])
def test_user_id_makes_history_a_scatter_gather(data, n):
    f = shards_touched("user_id", "chat_history", n, data)
    assert f.touched == n and f.scatter_gather
    # even a router that knew every sender would need several shards for a group chat
    assert 1.5 < f.holding_data_mean <= min(n, data.chat_sizes().max())


def test_the_per_user_query_reverses_the_picture(data):
    assert shards_touched("user_id", "user_messages", 16, data).touched == 1
    assert shards_touched("chat_id", "user_messages", 16, data).touched == 16


def test_holding_data_matches_a_direct_count(data):
    f = shards_touched("user_id", "chat_history", 8, data)
    where = sharding.shard_of(data.msg_sender, 8)
    direct = [len(set(where[data.msg_chat == c].tolist())) for c in np.unique(data.msg_chat)]
    assert f.holding_data_mean == pytest.approx(np.mean(direct))
    assert f.holding_data_max == max(direct)


def test_every_sender_is_a_member_of_the_chat(data):
    for i in range(0, data.n_messages, 97):
        c = data.msg_chat[i]
        assert data.msg_sender[i] in data.members[data.offsets[c] : data.offsets[c + 1]]


def test_chat_data_is_deterministic_for_a_seed():
    a, b = sharding.chat_data(n_messages=2_000, seed=5), sharding.chat_data(n_messages=2_000, seed=5)
    assert np.array_equal(a.msg_chat, b.msg_chat) and np.array_equal(a.msg_sender, b.msg_sender)


def test_loads_add_up_to_every_message(data):
    for key in sharding.SHARD_KEYS:
        assert sharding.shard_loads(key, 16, data).sum() == data.n_messages


def test_hot_shard_grows_with_activity_skew():
    ratios = [
        sharding.hot_shard_ratio("chat_id", 16, sharding.chat_data(skew=s, seed=1)) for s in (0.0, 0.8, 1.2)
    ]
    assert ratios[0] < 1.3  # uniform activity: shards within a few tens of percent of each other
    assert ratios[0] < ratios[1] < ratios[2]


def test_chat_id_sharding_is_hotter_than_user_id_under_skew():
    busy = sharding.chat_data(skew=1.2, seed=2)
    assert sharding.hot_shard_ratio("chat_id", 32, busy) > 1.5 * sharding.hot_shard_ratio("user_id", 32, busy)


@pytest.mark.parametrize("n", [1, 2, 4, 10, 50])
def test_modulo_moves_n_over_n_plus_one(n):
    assert moved_fraction("modulo", n, n + 1, n_keys=100_000) == pytest.approx(n / (n + 1), abs=0.01)


@pytest.mark.parametrize("n", [2, 4, 10, 32])
def test_consistent_hashing_moves_about_one_over_n_plus_one(n):
    runs = [moved_fraction("consistent", n, n + 1, n_keys=20_000, seed=s) for s in range(12)]
    assert np.mean(runs) == pytest.approx(1 / (n + 1), rel=0.08)
    assert all(abs(r * (n + 1) - 1) < 0.4 for r in runs)  # each ring within 40 % of the fair share


@pytest.mark.parametrize("n", [2, 5, 20])
def test_removing_a_shard_moves_only_its_keys(n):
    runs = [moved_fraction("consistent", n + 1, n, n_keys=20_000, seed=s) for s in range(12)]
    assert np.mean(runs) == pytest.approx(1 / (n + 1), rel=0.1)


@given(n=st.integers(1, 40), salt=st.integers(0, 2**31))
@settings(max_examples=30, deadline=None)
def test_adding_a_node_only_moves_keys_onto_it(n, salt):
    keys = np.arange(3_000)
    old, new = HashRing(n, 64, salt).lookup(keys), HashRing(n + 1, 64, salt).lookup(keys)
    assert set(new[old != new].tolist()) <= {n}


@given(n=st.integers(2, 60), seed=st.integers(0, 1_000))
@settings(max_examples=20, deadline=None)
def test_consistent_always_moves_fewer_keys_than_modulo(n, seed):
    assert keys_moved("consistent", n, n + 1, 5_000, seed) < keys_moved("modulo", n, n + 1, 5_000, seed)


def test_more_virtual_nodes_even_out_the_ring():
    spread = [np.ptp(HashRing(10, v, salt=3).shares()) for v in (1, 16, 256)]
    assert spread[0] > spread[1] > spread[2]
    assert HashRing(10, 256).shares().sum() == pytest.approx(1.0)


def test_ideal_fraction_is_the_new_shards_share():
    assert sharding.ideal_moved_fraction(4, 5) == pytest.approx(0.2)  # 1 of 5 shards is new
    assert sharding.ideal_moved_fraction(10, 5) == pytest.approx(0.5)  # half the shards go away


def test_keys_moved_is_deterministic_for_a_seed():
    assert keys_moved("consistent", 7, 8, 10_000, 4) == keys_moved("consistent", 7, 8, 10_000, 4)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: shards_touched("message_id"), "shard_key"),
        (lambda: shards_touched("chat_id", "search"), "query"),
        (lambda: shards_touched("chat_id", n_shards=0), "n_shards"),
        (lambda: shards_touched("chat_id", scheme="range"), "scheme"),
        (lambda: keys_moved("modulo", 0, 1), "n_before"),
        (lambda: keys_moved("modulo", 1, 1, n_keys=0), "n_keys"),
        (lambda: HashRing(4, vnodes=0), "vnodes"),
        (lambda: sharding.chat_data(members_per_chat=1), "members_per_chat"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
