"""The paste bin case study: estimate, size law and limits, content addressing, CDN, expiration.

Sources of the expected values:
* the lesson's scenario (1 M pastes a day, 5 reads each, log-normal sizes with median 2 KB and
  sigma 1.8, 300 B of metadata, a 10 MB limit), with the arithmetic written next to each case;
* the SHA-256 test vector of "hello" (FIPS 180-4 reference implementations print the same digest);
* log-normal formulas checked against a direct numpy sample drawn here;
* the expiration invariants the lesson states, checked paste by paste and read by read.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign import api, pastebin, tradeoffs
from sysdesign.sim import expiration

# --------------------------------------------------------------------------- estimate


def test_the_scenario_estimate():
    s = pastebin.PASTEBIN
    mean = 2_000 * math.exp(1.8**2 / 2)  # log-normal mean: median x e^(sigma^2/2) = 10,106 B
    assert s.mean_bytes == pytest.approx(mean)
    assert s.writes().avg_qps == pytest.approx(1e6 / 86_400)  # 11.6 /s
    assert s.reads().peak_qps == pytest.approx(3 * 5e6 / 86_400)  # 173.6 /s
    assert s.blob_storage().per_day == pytest.approx(1e6 * mean)  # 10.1 GB a day
    assert s.metadata_storage().total == pytest.approx(1e6 * 300 * 365 * 5)  # 548 GB
    assert s.bandwidth().egress == pytest.approx(5 * 1e6 * mean / 86_400)


def test_contents_are_most_of_the_bytes():
    split = pastebin.storage_split().set_index("store")
    mean = 2_000 * math.exp(1.62)
    assert split.loc["object storage", "share"] == pytest.approx(mean / (mean + 300))  # 97 %
    assert split["share"].sum() == pytest.approx(1.0)


# --------------------------------------------------------------------------- sizes and limits


@pytest.mark.parametrize(
    ("median", "sigma", "limit"), [(2_000, 1.8, 1e5), (2_000, 1.8, 1e4), (5_000, 1.0, 2e4)]
)
def test_tail_formulas_match_a_sample(median, sigma, limit):
    rng = np.random.default_rng(7)
    sizes = np.exp(rng.normal(math.log(median), sigma, 2_000_000))
    assert pastebin.share_above(limit, median, sigma) == pytest.approx(np.mean(sizes > limit), abs=0.002)
    bytes_above = sizes[sizes > limit].sum() / sizes.sum()
    assert pastebin.bytes_share_above(limit, median, sigma) == pytest.approx(bytes_above, abs=0.03)
    assert pastebin.mean_size(median, sigma) == pytest.approx(sizes.mean(), rel=0.03)


@given(st.floats(min_value=10, max_value=1e9), st.floats(min_value=1.1, max_value=100))
def test_a_higher_limit_refuses_less(limit, factor):
    assert pastebin.share_above(limit * factor, 2_000, 1.8) <= pastebin.share_above(limit, 2_000, 1.8)
    # big pastes carry more than their share of bytes
    assert pastebin.bytes_share_above(limit, 2_000, 1.8) >= pastebin.share_above(limit, 2_000, 1.8)


def test_abuse_at_the_limit():
    assert pastebin.abuse_bytes_per_day(10e6, 1.0) == 10e6 * 86_400  # 864 GB from one client a day
    assert pastebin.abuse_bytes_per_day(10e6, 1.0) > 80 * pastebin.PASTEBIN.blob_storage().per_day


# --------------------------------------------------------------------------- content addressing


def test_content_key_is_sha256():
    assert pastebin.content_key("hello") == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    assert pastebin.content_key("héllo") == pastebin.content_key("héllo".encode())


@settings(max_examples=80)
@given(st.lists(st.sampled_from(["", "a", "print(1)", "x" * 50, "héllo", "a "]), max_size=40))
def test_dedup_never_stores_the_same_content_twice(contents):
    store = pastebin.ContentStore()
    keys = [store.put(c) for c in contents]
    distinct = {c.encode() for c in contents}
    assert len(store) == len(distinct) == store.writes
    assert store.stored_bytes == sum(len(c) for c in distinct)
    assert store.logical_bytes == sum(len(c.encode()) for c in contents)
    for key, content in zip(keys, contents, strict=True):
        assert store.get(key) == content.encode()
        assert store.refs(key) == contents.count(content)


def test_release_deletes_only_the_last_reference():
    store = pastebin.ContentStore()
    key = store.put(b"same")
    store.put(b"same")
    store.release(key)
    assert key in store and store.refs(key) == 1
    store.release(key)
    assert key not in store and store.stored_bytes == 0
    with pytest.raises(KeyError):
        store.release(key)


def test_the_store_enforces_its_size_limit():
    store = pastebin.ContentStore(max_bytes=10)
    store.put("0123456789")
    with pytest.raises(ValueError, match="max_bytes"):
        store.put("0123456789!")


def test_no_duplicates_no_savings():
    r = pastebin.dedup_savings(20_000, 0.0)
    assert r.saved_bytes == 0 and r.distinct == 20_000 and r.duplicates == 0


@pytest.mark.parametrize("share", [0.1, 0.3, 0.6])
def test_simulated_savings(share):
    sample = pastebin.simulate_pastes(40_000, share, 2_000, 0.3, popularity_skew=0.0, seed=4)
    r = pastebin.dedup_result(sample)
    # each distinct content is stored once: stored bytes = sum over distinct ids of their size
    _, first = np.unique(sample.content, return_index=True)
    assert r.stored_bytes == pytest.approx(sample.size[first].sum())
    assert r.logical_bytes == pytest.approx(sample.size.sum())
    # narrow sizes, uniform picks: the bytes saved follow the share of repeated pastes
    assert r.saved_share == pytest.approx(share, abs=0.02)
    assert r.duplicate_share == pytest.approx(share, abs=0.01)


def test_equal_content_ids_have_equal_sizes():
    s = pastebin.simulate_pastes(10_000, 0.5, seed=2)
    for cid in np.unique(s.content)[:200]:
        assert len(set(s.size[s.content == cid].tolist())) == 1


def test_the_size_limit_refuses_pastes_and_their_copies():
    s = pastebin.simulate_pastes(30_000, 0.3, size_limit=1e5, seed=5)
    assert (s.size[~s.accepted] > 1e5).all() and (s.size[s.accepted] <= 1e5).all()
    r = pastebin.dedup_result(s)
    assert r.rejected == int((s.size > 1e5).sum()) and r.rejected_bytes == pytest.approx(
        s.size[s.size > 1e5].sum()
    )


def test_bytes_by_size_adds_up():
    s = pastebin.simulate_pastes(30_000, 0.25, size_limit=1e6, seed=6)
    bands, r = pastebin.bytes_by_size(s), pastebin.dedup_result(s)
    assert bands["stored_bytes"].sum() == pytest.approx(r.stored_bytes)
    assert bands["saved_bytes"].sum() == pytest.approx(r.saved_bytes)
    assert bands["rejected_bytes"].sum() == pytest.approx(r.rejected_bytes)
    assert bands["pastes"].sum() == 30_000


# --------------------------------------------------------------------------- CDN


@pytest.mark.parametrize("hit", [0.0, 0.5, 0.9, 0.99])
def test_cdn_load(hit):
    load = pastebin.cdn_load(hit)
    peak = 3 * 5e6 / 86_400  # 173.6 reads/s
    assert load.origin_qps == pytest.approx(peak * (1 - hit))
    assert load.edge_bytes_per_s + load.origin_bytes_per_s == pytest.approx(
        peak * pastebin.PASTEBIN.mean_bytes
    )


def test_edges_never_cache_past_expiry():
    assert pastebin.cdn_max_age(120) == 120 and pastebin.cdn_max_age(math.inf, 3_600) == 3_600


# --------------------------------------------------------------------------- expiration


@pytest.fixture(scope="module")
def run() -> expiration.ExpiryRun:
    return expiration.simulate(days=20, pastes_per_day=1_500, sweep_hours=6, reads_per_paste=5, seed=11)


def test_lazy_clean_up_never_removes_an_unexpired_paste(run):
    assert (run.lazy_at >= run.expires).all()
    deleted = np.isfinite(run.lazy_at)
    # and it deletes exactly at a read: the first one at or after expiry
    for i in np.flatnonzero(deleted)[:300]:
        reads = np.sort(run.read_at[run.read_paste == i])
        assert run.lazy_at[i] == reads[reads >= run.expires[i]][0]


@pytest.mark.parametrize("mode", ["lazy", "both"])
def test_the_read_check_never_serves_an_expired_paste(run, mode):
    served = run.served(mode)
    expires = run.expires[run.read_paste]
    assert (run.read_at[served] < expires[served]).all()
    assert served[run.read_at < expires].all()  # and every read before expiry is served
    assert run.expired_reads_served(mode) == 0


def test_without_the_read_check_expired_pastes_are_served(run):
    assert run.expired_reads_served("none") > run.expired_reads_served("active") > 0


def test_the_sweep_reclaims_within_one_interval(run):
    swept = np.isfinite(run.expires) & (run.expires + run.sweep_s <= run.horizon_s)
    assert np.isfinite(run.active_at[swept]).all()
    lag = run.active_at[swept] - run.expires[swept]
    assert ((lag >= 0) & (lag < run.sweep_s)).all()
    # at any moment, the expired bytes still stored expired within the last sweep interval
    times = np.linspace(0, run.horizon_s, 500)
    held = run.expired_bytes("active", times)
    for t, h in zip(times, held, strict=True):
        recent = (run.expires <= t) & (run.expires > t - run.sweep_s)
        assert h <= run.size[recent].sum() * run.scale + 1e-6


def test_storage_orders_by_mode(run):
    live = run.live_bytes()
    none, lazy, active, both = (run.stored_bytes(m) for m in ("none", "lazy", "active", "both"))
    tol = 1e-6
    assert (none + tol >= lazy).all() and (lazy + tol >= live).all() and (active + tol >= live).all()
    assert (both <= np.minimum(lazy, active) + tol).all()
    assert np.allclose(
        none,
        np.cumsum(
            np.bincount(
                np.searchsorted(run.grid(), run.created), weights=run.size, minlength=len(run.grid()) + 1
            )
        )[: len(run.grid())],
    )


def test_stored_is_live_plus_expired(run):
    for mode in expiration.MODES:
        assert np.allclose(run.stored_bytes(mode), run.live_bytes() + run.expired_bytes(mode), atol=1e-3)


def test_sweep_work(run):
    sweeps = run.sweeps("active")
    assert len(sweeps) == 20 * 4  # every 6 h for 20 days
    assert sweeps["rows_deleted"].sum() == np.isfinite(run.active_at).sum()
    assert (sweeps["rows_deleted"] <= sweeps["rows_scanned"]).all()
    assert run.sweeps("lazy").empty


def test_simulated_live_bytes_follow_the_formula():
    big = expiration.simulate(days=30, pastes_per_day=4_000, seed=2, size_sigma=0.5)
    expected = expiration.retained_bytes(30, 4_000, float(big.size.mean()))
    assert big.live_bytes(np.array([30 * 86_400.0]))[0] == pytest.approx(expected, rel=0.05)


def test_retained_bytes_arithmetic():
    mix = [("1 hour", 3_600, 0.5), ("1 week", 7 * 86_400, 0.25), ("never", math.inf, 0.25)]
    # day 30: 1e6 x 10 KB x (0.5/24 + 0.25 x 7 + 0.25 x 30) = 1e10 x 9.2708
    assert expiration.retained_bytes(30, 1e6, 1e4, mix) == pytest.approx(1e10 * (0.5 / 24 + 1.75 + 7.5))


def test_the_simulation_is_deterministic():
    a, b = expiration.simulate(days=5, seed=3), expiration.simulate(days=5, seed=3)
    assert np.array_equal(a.read_at, b.read_at) and np.array_equal(a.lazy_at, b.lazy_at)


def test_scaling_multiplies_counts_and_bytes():
    small = expiration.simulate(days=5, pastes_per_day=500, seed=1)
    big = expiration.simulate(days=5, pastes_per_day=500, seed=1, represents_per_day=500_000)
    assert big.stored_bytes("lazy")[-1] == pytest.approx(1_000 * small.stored_bytes("lazy")[-1])
    assert big.expired_reads_served("none") == pytest.approx(
        1_000 * small.expired_reads_served("none"), abs=1
    )


# --------------------------------------------------------------------------- API, architecture, wrap-up


def test_the_api_passes_review_and_covers_the_requirements():
    assert api.review(pastebin.PASTEBIN_API) == []
    assert api.missing_operations(pastebin.PASTEBIN_API, pastebin.PASTEBIN_OPERATIONS) == []


def test_the_architecture():
    arch = pastebin.pastebin_architecture()
    assert arch.problems() == [] and arch.single_points_of_failure() == []
    for path in (pastebin.READ_HIT_PATH, pastebin.READ_MISS_PATH, pastebin.WRITE_PATH, pastebin.SWEEP_PATH):
        assert arch.trace(path).within_budget
    assert arch.trace(pastebin.READ_HIT_PATH).total_s < arch.trace(pastebin.READ_MISS_PATH).total_s
    assert arch.durable_before_ack(pastebin.WRITE_PATH, ack_at="meta")
    assert pastebin.pastebin_architecture(draft=True).single_points_of_failure() == ["meta", "scheduler"]


def test_tradeoffs_have_all_three_parts():
    assert len(pastebin.TRADEOFFS) == 3
    for t in pastebin.TRADEOFFS.values():
        assert tradeoffs.check_template(t.say()).complete


def test_growth_with_and_without_expiry():
    g = pastebin.growth(days=400)
    per_day = 1e6 * pastebin.PASTEBIN.mean_bytes
    assert g["kept_forever"].iloc[-1] == pytest.approx(400 * per_day)
    # after a month every expiring class is at its steady size; only "never" still grows (10 % a day)
    assert g["expired_removed"].iloc[-1] - g["expired_removed"].iloc[-2] == pytest.approx(0.1 * per_day)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: pastebin.mean_size(0, 1), "median_bytes"),
        (lambda: pastebin.share_above(-1, 2_000, 1), "limit_bytes"),
        (lambda: pastebin.bytes_share_above(1e6, 2_000, 9), "sigma"),
        (lambda: pastebin.abuse_bytes_per_day(1e6, -1), "pastes_per_s"),
        (lambda: pastebin.simulate_pastes(0), "n_pastes"),
        (lambda: pastebin.simulate_pastes(100, 1.0), "duplicate_share"),
        (lambda: pastebin.simulate_pastes(100, 0.2, size_limit=0), "size_limit"),
        (lambda: pastebin.cdn_load(1.2), "hit_ratio"),
        (lambda: pastebin.cdn_max_age(-5), "seconds_left"),
        (lambda: pastebin.PasteScenario(pastes_per_day=0), "pastes_per_day"),
        (lambda: pastebin.growth(days=0), "days"),
        (lambda: expiration.simulate(days=0), "days"),
        (lambda: expiration.simulate(sweep_hours=0), "sweep_hours"),
        (lambda: expiration.simulate(reads_per_paste=-1), "reads_per_paste"),
        (lambda: expiration.simulate(ttl_mix=[("1 day", 86_400, 0.5)]), "ttl_mix"),
        (lambda: expiration.simulate(ttl_mix=[("bad", -1, 1.0)]), "ttl_seconds"),
        (lambda: expiration.retained_bytes(-1, 1e6, 1e4), "day"),
        (lambda: expiration.simulate(days=2).sweeps("eager"), "mode"),
        (lambda: expiration.simulate(days=2).stored_bytes("sometimes"), "mode"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_wrong_types_are_refused():
    with pytest.raises(TypeError, match="content"):
        pastebin.content_key(123)
    with pytest.raises(TypeError, match="sample"):
        pastebin.dedup_result([1, 2])
    with pytest.raises(TypeError, match="ttl_mix"):
        expiration.simulate(ttl_mix="1 day")
