"""Structures for scale: trie top-k memory, Bloom filters measured against their formula, count-min
sketches and HyperLogLog.

Expected numbers are worked out here, not read from the library:
- Bloom: p = (1 - e^(-kn/m))^k and k* = (m/n) ln 2 (Bloom 1970; Broder & Mitzenmacher 2004, sec. 2).
  A measured rate over ``probes`` lookups is binomial: its standard deviation is sqrt(p(1-p)/probes).
- Count-min: width = ceil(e/eps), depth = ceil(ln(1/delta)); an estimate is never below the true
  count and exceeds it by more than eps*N with probability at most delta (Cormode & Muthukrishnan
  2005, Theorem 1).
- HyperLogLog: standard error 1.04/sqrt(m) (Flajolet et al. 2007); Redis: 16,384 registers of
  6 bits, 12 KB, 0.81 % (Redis docs, PFCOUNT).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign import sketches


def formula(bits_per_item: float, k: int) -> float:
    """(1 - e^(-kn/m))^k with m/n = bits_per_item."""
    return (1 - math.exp(-k / bits_per_item)) ** k


def tolerance(p: float, probes: int) -> float:
    """Stated tolerance of a measured false-positive rate: four binomial standard deviations of the
    probes, plus 10 % of p for the filter's own random fill and the formula's approximation."""
    return 4 * math.sqrt(p * (1 - p) / probes) + 0.10 * p


# ---------------------------------------------------------------------------------------- Bloom
@pytest.mark.parametrize(
    ("bits", "k", "p"),
    [
        (10, 7, 0.008194),  # (1 - e^-0.7)^7 = 0.503415^7
        (8, 6, 0.021577),  # (1 - e^-0.75)^6 = 0.527633^6
        (5, 3, 0.091848),  # (1 - e^-0.6)^3 = 0.451188^3
    ],
)
def test_bloom_sweep_formula_column(bits, k, p):
    sweep = sketches.bloom_sweep(1_000, bits, ks=(k,), probes=1_000)
    assert sweep["formula"].iloc[0] == pytest.approx(p, rel=1e-4)


@pytest.mark.parametrize(
    ("n", "bits", "k"), [(20_000, 10, 7), (20_000, 6, 4), (10_000, 16, 11), (5_000, 4, 1)]
)
def test_bloom_measured_rate_matches_the_formula(n, bits, k):
    probes = 200_000
    measured = sketches.bloom_sweep(n, bits, ks=(k,), probes=probes, seed=3)["measured"].iloc[0]
    p = formula(bits, k)
    assert abs(measured - p) <= tolerance(p, probes)


@settings(max_examples=20, deadline=None)
@given(bits=st.integers(3, 14), k=st.integers(1, 10), seed=st.integers(0, 1_000))
def test_bloom_measured_rate_within_tolerance_for_any_setting(bits, k, seed):
    probes = 40_000
    measured = sketches.bloom_sweep(2_000, bits, ks=(k,), probes=probes, seed=seed)["measured"].iloc[0]
    p = formula(bits, k)
    assert abs(measured - p) <= tolerance(p, probes)


def test_bloom_measured_minimum_is_near_the_optimal_k():
    sweep = sketches.bloom_sweep(20_000, 10, ks=range(1, 15), probes=200_000)
    best = int(sweep.loc[sweep["measured"].idxmin(), "k"])
    assert abs(best - 10 * math.log(2)) <= 1.5  # 6.93: 6, 7 or 8
    assert sketches.optimal_hashes(10) == pytest.approx(6.9315, rel=1e-4)


def test_bloom_row_memory():
    row = sketches.bloom_row(10, 7, n=2_000)
    assert row[1] == 2_500  # 2,000 items x 10 bits / 8
    assert row[2] == 16_000  # 2,000 fingerprints x 8 B
    assert row[5] == pytest.approx(formula(10, 7), rel=1e-3)


# ------------------------------------------------------------------------------------ count-min
@pytest.mark.parametrize(
    ("eps", "delta", "dims"),
    [
        (0.001, 0.01, (2719, 5)),  # e/0.001 = 2718.3; ln 100 = 4.61
        (0.01, 0.05, (272, 3)),  # e/0.01 = 271.8; ln 20 = 3.00
        (0.1, 0.5, (28, 1)),  # e/0.1 = 27.2; ln 2 = 0.69
    ],
)
def test_countmin_dimensions(eps, delta, dims):
    assert sketches.countmin_dimensions(eps, delta) == dims


streams = st.lists(st.integers(0, 500), min_size=1, max_size=300)


@settings(max_examples=50, deadline=None)
@given(keys=streams, width=st.integers(1, 64), depth=st.integers(1, 6), seed=st.integers(0, 100))
def test_countmin_never_underestimates_and_conserves_events(keys, width, depth, seed):
    cms = sketches.CountMinSketch(width, depth, seed=seed)
    cms.add(keys)
    distinct, true = np.unique(keys, return_counts=True)
    assert (cms.estimate(distinct) >= true).all()
    assert (cms.table.sum(axis=1) == len(keys)).all()  # every event lands once in every row
    assert cms.total == len(keys)


@settings(max_examples=30, deadline=None)
@given(keys=streams, seed=st.integers(0, 100))
def test_countmin_is_linear_events_one_by_one_or_as_totals(keys, seed):
    one_by_one = sketches.CountMinSketch(16, 3, seed=seed)
    for key in keys:
        one_by_one.add([key])
    totals = sketches.CountMinSketch(16, 3, seed=seed)
    distinct, counts = np.unique(keys, return_counts=True)
    totals.add(distinct, counts)
    assert (one_by_one.table == totals.table).all()


def test_countmin_of_width_one_reports_the_whole_stream():
    cms = sketches.CountMinSketch(1, 3)
    cms.add([1, 2, 2, 3, 3, 3])
    assert cms.estimate([1, 2, 3, 99]).tolist() == [6, 6, 6, 6]


@pytest.mark.parametrize("width", [100, 500, 2_719])
def test_countmin_run_respects_the_bound(width):
    run = sketches.countmin_run(width, 4, n_events=200_000, n_keys=20_000, seed=1)
    assert run.min_error >= 0
    assert run.bound == pytest.approx(math.e / width * 200_000)
    assert run.share_over_bound <= math.exp(-4)  # delta = e^-depth
    assert run.memory_bytes == width * 4 * 4


def test_zipf_counts_are_skewed_and_conserve_events():
    counts = sketches.zipf_counts(500_000, 1_000, exponent=1.0, seed=2)
    assert counts.sum() == 500_000
    # key 0 should get about 1 / H(1000) = 1 / 7.485 = 13.4 % of the events
    assert counts[0] / 500_000 == pytest.approx(1 / 7.4855, rel=0.03)


# ---------------------------------------------------------------------------------- HyperLogLog
def test_standard_error_and_memory_match_redis():
    assert sketches.hll_standard_error(16_384) == pytest.approx(0.0081, abs=0.0001)  # 1.04 / 128
    assert sketches.HyperLogLog(14).memory_bytes() == 12_288  # 16,384 x 6 bits / 8: "12k bytes"


@settings(max_examples=25, deadline=None)
@given(n=st.integers(20_000, 150_000), precision=st.integers(8, 12), seed=st.integers(0, 1_000))
def test_one_sketch_is_within_four_standard_errors(n, precision, seed):
    hll = sketches.HyperLogLog(precision, seed=seed)
    hll.add(np.arange(n) + 7 * seed)
    assert abs(hll.estimate() / n - 1) <= 4 * 1.04 / math.sqrt(2**precision)


@pytest.mark.parametrize(("registers", "n"), [(256, 10_000), (1_024, 20_000), (4_096, 60_000)])
def test_measured_standard_error_matches_the_formula(registers, n):
    errors = sketches.hll_errors(registers, n, trials=40, seed=5)
    rms = math.sqrt(float(np.mean(errors**2)))
    assert 0.7 <= rms / (1.04 / math.sqrt(registers)) <= 1.3


def test_small_counts_use_linear_counting():
    # 100 items in 1,024 registers: linear counting's standard error is about
    # sqrt(m (e^t - t - 1)) / n with t = n/m (Whang et al. 1990): sqrt(1024 x 0.00497) / 100 = 2.3 %.
    hll = sketches.HyperLogLog(10)
    hll.add(np.arange(100))
    assert hll.estimate() == pytest.approx(100, rel=0.1)


@settings(max_examples=30, deadline=None)
@given(a=st.lists(st.integers(0, 10**6), max_size=200), b=st.lists(st.integers(0, 10**6), max_size=200))
def test_repeats_change_nothing_and_merge_is_the_union(a, b):
    one, two, both = (sketches.HyperLogLog(8, seed=1) for _ in range(3))
    one.add(np.array(a, dtype=np.int64))
    two.add(np.array(b, dtype=np.int64))
    both.add(np.array(a + b + a, dtype=np.int64))
    assert (one.merge(two).registers == both.registers).all()


@settings(max_examples=50)
@given(x=st.integers(0, 2**64 - 1))
def test_leading_zeros_are_exact(x):
    w = np.array([x, x | 1, 1 << (x % 64)], dtype=np.uint64)
    expected = [64 - int(v).bit_length() for v in w.tolist()]
    assert sketches._leading_zeros(w).tolist() == expected


def test_distinct_viewers_against_an_exact_count():
    table = sketches.distinct_viewers(300_000, 50_000, days=2, precision=12, seed=4)
    day1 = sketches.zipf_counts(300_000, 50_000, seed=4)
    day2 = sketches.zipf_counts(300_000, 50_000, seed=5)
    assert table["exact distinct"].tolist() == [
        int((day1 > 0).sum()),
        int((day2 > 0).sum()),
        int(((day1 > 0) | (day2 > 0)).sum()),
    ]
    assert (abs(table["error"]) <= 4 * 1.04 / 64).all()  # 4,096 registers


# ----------------------------------------------------------------------------------- trie, table
def test_trie_memory_by_hand():
    # nodes: root, c, ca, cat, car, cart, d, do, dog. With k = 2: root, c, ca, car keep two entries.
    table = sketches.trie_memory({"cat": 5, "car": 9, "cart": 9, "dog": 20}, ks=(1, 2), bytes_per_entry=8)
    assert table["nodes"].tolist() == [9, 9]
    assert table["stored entries"].tolist() == [9, 13]
    assert table["bytes"].tolist() == [72, 104]
    assert table["upper bound (bytes)"].tolist() == [72, 144]


def test_compare_rows():
    table = sketches.compare(10, 7, 1_000, 1_024)
    assert table["structure"].tolist() == ["Bloom filter", "count-min sketch", "HyperLogLog"]
    assert table["memory"].tolist() == [2_500, 1_000 * 4 * 4, 1_024 * 6 / 8]
    assert table["predicted"].tolist() == pytest.approx([formula(10, 7), math.e / 1_000, 1.04 / 32], rel=1e-3)
    assert (table["memory"] < table["exact memory"]).all()


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: sketches.CountMinSketch(0, 3), "width"),
        (lambda: sketches.CountMinSketch(10, 0), "depth"),
        (lambda: sketches.CountMinSketch(10, 2).add([-1]), "keys"),
        (lambda: sketches.CountMinSketch(10, 2).add([1], [-3]), "counts"),
        (lambda: sketches.countmin_dimensions(0, 0.1), "eps"),
        (lambda: sketches.countmin_dimensions(0.1, 1), "delta"),
        (lambda: sketches.HyperLogLog(3), "precision"),
        (lambda: sketches.hll_errors(1_000), "registers"),
        (lambda: sketches.hll_standard_error(8), "registers"),
        (lambda: sketches.bloom_sweep(1_000, 0), "bits_per_item"),
        (lambda: sketches.zipf_counts(10, 0), "n_keys"),
        (lambda: sketches.distinct_viewers(days=0), "days"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_wrong_types_raise_type_error():
    with pytest.raises(TypeError, match="keys"):
        sketches.CountMinSketch(10, 2).add([1.5])
    with pytest.raises(TypeError, match="ids"):
        sketches.HyperLogLog(10).add(["a"])
