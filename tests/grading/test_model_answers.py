"""Model answers an expert would sign (issue 10): each corrected part, judged as an interviewer would.

For every part whose model answer or question was corrected, the model answer earns the part, the
released blank does not, the old model answer (now known to be wrong) loses it, and other answers
an expert could defend earn it. Each case runs in this process what nbgrader runs in a kernel: the
notebook's setup cell, the candidate answer cell, then the part's test cell with its hidden tests.
The source behind each judgement is cited next to its cases.
"""

from __future__ import annotations

import re

import pytest
from ps01_variants import ROOT, cell, load, source

SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"

P01 = "ps05_warmup/p01_url_shortener"
P07 = "ps06_core/p07_file_storage"
P08 = "ps06_core/p08_web_crawler"
P10 = "ps07_advanced/p10_key_value_store"
P13 = "ps07_advanced/p13_payment_system"
P14 = "ps07_advanced/p14_task_scheduler"

# (notebook, answer cell, test cell) of every corrected part
PARTS = {
    "p01 F code length": (P01, "answer-code-length", "test-code-length"),
    "p07 A requirements": (P07, "answer-requirements", "test-requirements"),
    "p08 A requirements": (P08, "answer-requirements", "test-requirements"),
    "p10 F quorum": (P10, "answer-quorum", "test-quorum"),
    "p10 H vector clocks": (P10, "answer-vclock", "test-vclock"),
    "p13 F idempotency": (P13, "answer-idempotency", "test-idempotency"),
    "p14 G exactly once": (P14, "answer-exactly-once", "test-exactly-once"),
}


def solution_body(notebook: str, answer_id: str) -> str:
    text = source(cell(load(SOLUTIONS / f"{notebook}.ipynb"), answer_id))
    return re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", "", text, flags=re.MULTILINE)


def grade(notebook: str, answer_id: str, test_id: str, answer: str) -> str | None:
    """Run setup, ``answer`` and the full test cell; None when the part is earned, else the message."""
    nb = load(SOLUTIONS / f"{notebook}.ipynb")
    namespace: dict[str, object] = {"__name__": "__main__"}
    exec(compile(source(cell(nb, "setup")), "setup", "exec"), namespace)
    try:
        exec(compile(answer, answer_id, "exec"), namespace)
        exec(compile(source(cell(nb, test_id)), test_id, "exec"), namespace)
    except Exception as exc:  # an assertion, or the blank's NotImplementedError
        return f"{type(exc).__name__}: {exc}"
    return None


@pytest.mark.parametrize("part", sorted(PARTS))
def test_the_model_answer_earns_the_part_and_the_blank_does_not(part):
    notebook, answer_id, test_id = PARTS[part]
    assert grade(notebook, answer_id, test_id, solution_body(notebook, answer_id)) is None
    blank = source(cell(load(EXERCISES / f"{notebook}.ipynb"), answer_id))
    assert grade(notebook, answer_id, test_id, blank) is not None


# ---- p13 Part F: the charge claims its idempotency key atomically --------------------------------
# Stripe, "Idempotent requests" (docs.stripe.com/api/idempotent_requests) and its error code
# idempotency_key_in_use (409: another request with the key is in progress); IETF draft
# "The Idempotency-Key HTTP Header Field" (httpapi WG): a request whose key is still being
# processed gets 409 Conflict; Brandur Leach, "Implementing Stripe-like Idempotency Keys in
# Postgres" (2017): the key is inserted first, under a unique constraint, then the work is done.

ATOMIC_WAIT = """
def charge(store, key, amount):
    if store.put_if_absent(key, "pending"):
        charge_id = store.debit(amount)
        store.put(key, charge_id)
        return charge_id
    while (done := store.get(key)) == "pending":  # wait for the first attempt's result
        pass
    return done
"""
ATOMIC_RECORD = """
def charge(store, key, amount):
    claimed = store.put_if_absent(key, {"state": "started", "amount": amount})
    if not claimed:
        record = store.get(key)
        return record["charge_id"] if record.get("state") == "done" else payments.IN_PROGRESS
    charge_id = store.debit(amount)
    store.put(key, {"state": "done", "amount": amount, "charge_id": charge_id})
    return charge_id
"""
CHECK_THEN_ACT = """
def charge(store, key, amount):
    earlier = store.get(key)
    if earlier is not None:
        return earlier
    charge_id = store.debit(amount)
    store.put(key, charge_id)
    return charge_id
"""
PENDING_NOT_ATOMIC = """
def charge(store, key, amount):
    earlier = store.get(key)
    if earlier == "pending":
        return payments.IN_PROGRESS
    if earlier is not None:
        return earlier
    store.put(key, "pending")  # a separate write after the read: two attempts both get here
    charge_id = store.debit(amount)
    store.put(key, charge_id)
    return charge_id
"""
LEAKS_PENDING = """
def charge(store, key, amount):
    if store.put_if_absent(key, "pending"):
        charge_id = store.debit(amount)
        store.put(key, charge_id)
        return charge_id
    return store.get(key)  # the duplicate gets "pending", which names no charge
"""
NEVER_RECORDS = """
def charge(store, key, amount):
    if store.put_if_absent(key, "pending"):
        return store.debit(amount)  # the result is never stored: every retry hears 409
    return payments.IN_PROGRESS
"""


@pytest.mark.parametrize("answer", [ATOMIC_WAIT, ATOMIC_RECORD], ids=["wait", "record-409"])
def test_p13_atomic_claims_earn_part_f(answer):
    assert grade(P13, "answer-idempotency", "test-idempotency", answer) is None


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (CHECK_THEN_ACT, "payments charged twice"),  # the old model answer
        (PENDING_NOT_ATOMIC, "payments charged twice"),
        (LEAKS_PENDING, "final replies that name no charge"),
        (NEVER_RECORDS, "shops that got a charge id"),
    ],
    ids=["check-then-act", "pending-not-atomic", "leaks-pending", "never-records"],
)
def test_p13_handlers_without_an_atomic_claim_lose_part_f(answer, why):
    message = grade(P13, "answer-idempotency", "test-idempotency", answer)
    assert message is not None and why in message


# ---- p01 Part F: 7 characters with a conditional insert ------------------------------------------
# The chance that one random code is already taken is n / N (lesson 11, shortener.
# insert_collision_probability); Xu, System Design Interview vol. 1, ch. 8: a 7-character base62
# code covers 3.5 trillion URLs, and a collision is resolved by checking the database and retrying.

CLOSED_FORM = """
def code_length(n_links, alphabet, max_probability):
    return math.ceil(math.log(n_links / max_probability, shortener.alphabet_size(alphabet)))
"""
OLD_BIRTHDAY = """
def code_length(n_links, alphabet, max_probability):
    length = 1
    while shortener.collision_probability(n_links, length, alphabet) > max_probability:
        length += 1
    return length
"""


def test_p01_a_closed_form_earns_part_f():
    assert grade(P01, "answer-code-length", "test-code-length", CLOSED_FORM) is None


def test_p01_the_old_no_check_premise_loses_part_f():
    # no collision anywhere among 2.4 billion codes needs 12 characters: not a short code
    message = grade(P01, "answer-code-length", "test-code-length", OLD_BIRTHDAY)
    assert message is not None and "one character shorter" in message


# ---- p14 Part G: fencing judged right; both reasons where both fail the claim --------------------
# Martin Kleppmann, "How to do distributed locking" (2016): the storage refuses a token lower than
# one it has already processed, so it stops a paused client's write only after a newer write; a
# lease alone fails for a slow task and for a process paused by GC alike. DDIA ch. 8 ("The truth
# is defined by the majority", fencing tokens).

VERDICTS = """
def verdict(claim):
    return {{
        "lease_only": {lease_only!r},
        "delete_first": "fails: a crash loses the task",
        "heartbeat": "fails: a paused worker outlives its lease",
        "dedup_key": "holds: effectively once",
        "fencing": {fencing!r},
    }}[claim]
"""


@pytest.mark.parametrize(
    ("lease_only", "fencing"),
    [
        ("fails: a paused worker outlives its lease", "fails: a stale write can land before the newer token"),
        ("fails: a slow task outlives its lease", "fails: a paused worker outlives its lease"),
        ("Fails: a slow task outlives its lease ", "fails: a slow task outlives its lease"),
    ],
)
def test_p14_defensible_verdicts_earn_part_g(lease_only, fencing):
    answer = VERDICTS.format(lease_only=lease_only, fencing=fencing)
    assert grade(P14, "answer-exactly-once", "test-exactly-once", answer) is None


@pytest.mark.parametrize(
    ("lease_only", "fencing"),
    [
        ("fails: a slow task outlives its lease", "holds: effectively once"),  # the old model answer
        ("holds: effectively once", "fails: a stale write can land before the newer token"),
        ("fails: a crash loses the task", "fails: a stale write can land before the newer token"),
    ],
)
def test_p14_fencing_as_exactly_once_or_a_lease_as_enough_lose_part_g(lease_only, fencing):
    answer = VERDICTS.format(lease_only=lease_only, fencing=fencing)
    assert grade(P14, "answer-exactly-once", "test-exactly-once", answer) is not None


# ---- p07 and p08 Part A: label questions with one clear label, or every defensible one -----------
# Xu, System Design Interview vol. 1: ch. 15 (Google Drive) lists bandwidth usage among the
# non-functional requirements; ch. 9 (web crawler) lists politeness among the crawler's required
# characteristics, with robots.txt under it, while many designs list "obey robots.txt" as a feature.

P07_LABELS = """
def classify():
    return {{"upload": "functional", "sync": "functional", "share": "functional", "history": "functional",
            "durable": "non-functional", "fresh": "non-functional", "small_edit": {small_edit!r},
            "coedit": "out of scope"}}
"""
P08_LABELS = """
def classify():
    return {{"fetch": "functional", "store": "functional", "recrawl": "functional",
            "robots": {robots!r}, "polite": {polite!r}, "scale": "non-functional",
            "robust": "non-functional", "rank": "out of scope"}}
"""


def test_p07_small_edit_is_worded_as_a_bandwidth_budget():
    text = source(cell(load(SOLUTIONS / f"{P07}.ipynb"), "part-requirements"))
    assert "bandwidth" in text
    answer = P07_LABELS.format(small_edit="non-functional")
    assert grade(P07, "answer-requirements", "test-requirements", answer) is None
    answer = P07_LABELS.format(small_edit="functional")
    assert grade(P07, "answer-requirements", "test-requirements", answer) is not None


@pytest.mark.parametrize("robots", ["functional", "non-functional"])
def test_p08_robots_txt_may_be_either_label(robots):
    answer = P08_LABELS.format(robots=robots, polite="non-functional")
    assert grade(P08, "answer-requirements", "test-requirements", answer) is None


@pytest.mark.parametrize(
    ("robots", "polite"), [("out of scope", "non-functional"), ("functional", "out of scope")]
)
def test_p08_leaving_a_limit_out_loses_part_a(robots, polite):
    answer = P08_LABELS.format(robots=robots, polite=polite)
    assert grade(P08, "answer-requirements", "test-requirements", answer) is not None


# ---- p10: one story, strict quorums (N = 3, R = W = 2) -------------------------------------------
# DeCandia et al., "Dynamo" (SOSP 2007) section 4.6: sloppy quorums and hinted handoff are what
# keep writes going in a partition; under strict quorums the minority side refuses them.
# Kleppmann, DDIA ch. 5: "Sloppy Quorums and Hinted Handoff" (no guarantee to read the latest
# write) and "Detecting Concurrent Writes" (conflicts occur even with strict quorums).


@pytest.mark.parametrize(
    ("answer", "earns"),
    [
        ("def choose_quorum(failures):\n    return [2 * failures + 1, failures + 1, failures + 1]\n", True),
        (
            "def choose_quorum(failures):\n    n = 2 * failures + 1\n    return n, n // 2 + 1, n // 2 + 1\n",
            True,
        ),
        ("def choose_quorum(failures):\n    return 3, 1, 1\n", False),  # fast, but reads go stale
        ("def choose_quorum(failures):\n    return 2 * failures + 1, 1, 2 * failures + 1\n", False),
        (
            "def choose_quorum(failures):\n    return 4 * failures + 1, 2 * failures + 1, 2 * failures + 1\n",
            False,
        ),
    ],
)
def test_p10_strict_majority_quorums_earn_part_f(answer, earns):
    assert (grade(P10, "answer-quorum", "test-quorum", answer) is None) is earns


def test_p10_tells_one_strict_quorum_story():
    nb = load(SOLUTIONS / f"{P10}.ipynb")
    text = {c.get("id"): source(c) for c in nb["cells"]}
    assert "minority" in text["scenario"] and "refuses" in text["scenario"]
    # Part H no longer has both sides of a partition accept a put
    assert "both sides accepted" not in text["part-vclock"] and "same moment" in text["part-vclock"]
    # the repair path is read repair and anti-entropy, not hints counted toward W
    assert "hinted handoff" not in text["part-architecture"].lower()
    tradeoffs = text["answer-tradeoffs"]
    assert "strict quorums over sloppy quorums" in tradeoffs
    assert "Hinted handoff would not help" in tradeoffs
