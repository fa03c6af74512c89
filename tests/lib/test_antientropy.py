"""Merkle-tree repair and hinted handoff (sysdesign.sim.antientropy).

Expected values come from outside the code under test:
- mix64 against splitmix64's finaliser written here with Python integers (Vigna, splitmix64.c);
- the rows a Merkle repair streams and the hashes it compares, counted here from the leaves that
  hold the diverged keys (a leaf is streamed when it holds one; a tree node is compared when its
  parent's subtree holds one), so 1 + 2 * depth hashes for one diverged key;
- DataStax's note on Cassandra repair ("Anti-entropy repair"): a tree of depth 15 over a million
  partitions with one damaged streams about 30 partitions;
- hinted-handoff read odds worked out by counting replica subsets (comments at each case).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.sim import antientropy
from sysdesign.sim.antientropy import (
    diverge,
    expected_rows,
    full_scan,
    hinted_handoff,
    leaf_of,
    merkle_repair,
    merkle_tree,
    mix64,
    sweep,
)

MASK = 2**64 - 1


def splitmix64_finaliser(z: int) -> int:
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def test_mix64_is_splitmix64s_finaliser():
    xs = [0, 1, 2, 12345, 2**63, MASK]
    assert mix64(np.array(xs, dtype=np.uint64)).tolist() == [splitmix64_finaliser(x) for x in xs]


def counted(rows: int, diverged: np.ndarray, depth: int) -> tuple[int, int, int]:
    """(hashes compared, leaves differing, rows exchanged), counted from the diverged keys' leaves."""
    leaf = leaf_of(rows, depth)
    hit = np.unique(leaf[diverged])
    if hit.size == 0:
        return 1, 0, 0
    # Level l (0 = root) has a differing node for each distinct prefix of the hit leaves; the root
    # is compared, and below it both children of every differing node.
    compared = 1 + sum(2 * np.unique(hit >> (depth - level)).size for level in range(depth))
    return compared, int(hit.size), int(np.isin(leaf, hit).sum())


@pytest.mark.parametrize("depth", [0, 1, 5, 10, 15])
def test_one_diverged_key_walks_one_path(depth):
    rep = merkle_repair(diverge(20_000, 1, seed=2), depth)
    assert rep.hashes_compared == 1 + 2 * depth
    assert rep.leaves_differing == 1
    assert rep.consistent


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5_000), st.integers(0, 200), st.integers(0, 14), st.integers(0, 50))
def test_repair_counts_match_the_diverged_leaves(rows, diverged, depth, seed):
    diverged = min(diverged, rows)
    replicas = diverge(rows, diverged, seed)
    rep = merkle_repair(replicas, depth)
    assert (rep.hashes_compared, rep.leaves_differing, rep.rows_exchanged) == counted(
        rows, replicas.diverged, depth
    )
    assert rep.consistent
    assert diverged <= rep.rows_exchanged <= rows
    assert full_scan(replicas).rows_exchanged == rows


def test_identical_replicas_compare_one_hash():
    rep = merkle_repair(diverge(10_000, 0), 12)
    assert (rep.hashes_compared, rep.leaves_differing, rep.rows_exchanged) == (1, 0, 0)


def test_cassandra_depth_15_over_a_million_partitions_streams_about_30():
    rep = merkle_repair(diverge(1_000_000, 1, seed=0), 15)
    assert 15 <= rep.rows_exchanged <= 50
    assert expected_rows(1_000_000, 1, 15) == pytest.approx(30, rel=0.1)


def test_expected_rows_matches_the_mean_of_simulations():
    got = np.mean([merkle_repair(diverge(20_000, 50, seed=s), 8).rows_exchanged for s in range(20)])
    # 50 keys among 256 leaves of ~78 rows: about 50 + 19,950 * (1 - (255/256)^50) = 3,588 rows.
    assert got == pytest.approx(expected_rows(20_000, 50, 8), rel=0.05)
    assert expected_rows(20_000, 50, 8) == pytest.approx(50 + 19_950 * (1 - (255 / 256) ** 50))


def test_deeper_trees_stream_fewer_rows_and_compare_more_hashes():
    table = [merkle_repair(diverge(50_000, 20, seed=1), d) for d in (4, 8, 12, 16)]
    rows = [r.rows_exchanged for r in table]
    hashes = [r.hashes_compared for r in table]
    assert rows == sorted(rows, reverse=True) and rows[-1] < rows[0] / 100
    assert hashes == sorted(hashes)


def test_leaves_are_filled_evenly():
    counts = np.bincount(leaf_of(200_000, 6), minlength=64)
    assert counts.size == 64
    assert counts.min() > 0.9 * 200_000 / 64 and counts.max() < 1.1 * 200_000 / 64


def test_tree_levels_and_the_sweep():
    assert [lvl.size for lvl in merkle_tree(diverge(100, 0).a, 4)] == [1, 2, 4, 8, 16]
    table = sweep(10_000, 6, (0, 1, 100))
    assert table["merkle_rows"].tolist()[:2] == [0, merkle_repair(diverge(10_000, 1), 6).rows_exchanged]
    assert (table["full_rows"] == 10_000).all()


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: diverge(0), "rows"),
        (lambda: diverge(10, 11), "diverged"),
        (lambda: merkle_repair(diverge(10, 1), 21), "depth"),
        (lambda: merkle_repair(diverge(10, 1), -1), "depth"),
        (lambda: expected_rows(10, 2, 2.5), "depth"),
        (lambda: hinted_handoff(3, 2, 2, down=3), "down"),
        (lambda: hinted_handoff(3, 4, 2), "r"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_type_errors():
    with pytest.raises(TypeError, match="replicas"):
        merkle_repair("ab", 3)
    with pytest.raises(TypeError, match="values"):
        merkle_tree(np.arange(5), 2)
    with pytest.raises(TypeError, match="diverged"):
        sweep(100, 2, [1, 2])


# --- hinted handoff ---------------------------------------------------------------------------


def cell(table, mode, phase, column):
    return table[(table["mode"] == mode) & (table["phase"] == phase)][column].item()


PENDING, BACK, DURING = "healed, hints pending", "hints handed back", "during the partition"


@pytest.mark.parametrize(
    ("down", "pending"),
    [
        # N = 3, W = 2, one home replica cut off: the write lands on 2 of {home, home, stand-in}.
        # Both homes with chance 1/3 (every 2-of-3 read is fresh), one home with chance 2/3 (a
        # read of 2 of the 3 homes includes it with chance 2/3): 1/3 + 2/3 * 2/3 = 7/9.
        (1, 7 / 9),
        # Two cut off: 2 of {home, stand-in, stand-in}; the home holds it with chance 2/3, and a
        # read of 2 of 3 homes includes that home with chance 2/3: 4/9.
        (2, 4 / 9),
    ],
)
def test_sloppy_reads_miss_writes_until_hints_are_handed_back(down, pending):
    t = hinted_handoff(3, 2, 2, down=down, trials=20_000, seed=1)
    assert cell(t, "sloppy", DURING, "write_ok")
    assert cell(t, "sloppy", DURING, "fresh") == 1.0  # the read asks the same healthy nodes
    assert cell(t, "sloppy", PENDING, "fresh") == pytest.approx(pending, abs=0.015)
    assert cell(t, "sloppy", BACK, "fresh") == 1.0  # W = 2 homes hold it again, R + W > N
    # Mean home copies before handoff: W * (N - down) / N.
    assert cell(t, "sloppy", PENDING, "home_copies") == pytest.approx(2 * (3 - down) / 3, abs=0.03)
    assert cell(t, "sloppy", BACK, "home_copies") == 2.0


def test_strict_quorum_refuses_the_write_it_cannot_place():
    t = hinted_handoff(3, 2, 2, down=2)
    assert not cell(t, "strict", DURING, "write_ok")
    assert cell(t, "strict", DURING, "error") == 1.0  # one reachable home < R = 2
    ok = hinted_handoff(3, 2, 2, down=1)
    assert cell(ok, "strict", DURING, "write_ok")
    assert [cell(ok, "strict", p, "fresh") for p in (DURING, PENDING, BACK)] == [1.0, 1.0, 1.0]


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 6), st.data())
def test_handoff_restores_w_home_copies(n, data):
    r, w = data.draw(st.integers(1, n)), data.draw(st.integers(1, n))
    down = data.draw(st.integers(0, n - 1))
    t = hinted_handoff(n, r, w, down=down, trials=500)
    assert cell(t, "sloppy", BACK, "home_copies") == w
    assert cell(t, "strict", DURING, "write_ok") == (n - down >= w)
    if r + w > n:
        assert cell(t, "sloppy", BACK, "fresh") == 1.0
    assert ((t["fresh"] + t["error"]) <= 1.0 + 1e-9).all()
    assert antientropy.PHASES == (DURING, PENDING, BACK)
