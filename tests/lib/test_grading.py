"""The grading helpers: what passes, what fails, what the learner is told, and what cannot be faked.

Expected messages are written out by hand from the arithmetic in each row (answer / expected).
"""

from __future__ import annotations

import builtins
import fractions
import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sysdesign import estimate, grading


@pytest.fixture(autouse=True)
def fresh_grading():
    """Every test starts and ends with the genuine grading module, whatever it patched."""
    importlib.reload(grading)
    yield
    importlib.reload(grading)


# --- check_close -------------------------------------------------------------------------

PASSES = [
    # (answer, expected, rel)
    (1.0, 1.0, 0.05),
    (1.049, 1.0, 0.05),  # 4.9 % high
    (0.951, 1.0, 0.05),  # 4.9 % low
    (21.6, 21.9, 0.05),  # a 30-day month against 365/12 days: 1.4 % apart
    (np.float64(925.9), 40e6 * 2 / 86_400, 0.05),
    (-2.0, -2.02, 0.05),
    (215, 215.0, 1e-9),
]


@pytest.mark.parametrize(("answer", "expected", "rel"), PASSES)
def test_check_close_passes_within_the_relative_tolerance(answer, expected, rel):
    assert grading.check_close("x", answer, expected, rel=rel) is None


FAILS = [
    # (answer, expected, words the message must contain)
    (1.06, 1.0, ["6% too large", "between 1 and 10", "up to 5% counts"]),
    (0.8, 1.0, ["20% too small"]),
    (30, 300, ["10 times too small", "between 100 and 1,000"]),
    (3e15, 1e15, ["3 times too large", "between 1e15 and 1e16"]),
    (0, 5, ["gave 0;", "between 1 and 10"]),
    (-3, 5, ["gave -3;"]),
]


@pytest.mark.parametrize(("answer", "expected", "words"), FAILS)
def test_check_close_says_how_far_off_and_which_way(answer, expected, words):
    with pytest.raises(AssertionError) as info:
        grading.check_close("f()", answer, expected)
    message = str(info.value)
    assert message.startswith("f() gave ")
    for word in words:
        assert word in message


SLIPS = [
    # (answer, expected, hint) for common slips: the ratio answer/expected names the slip
    (80e6 * 500e3 / 100_000, 80e6 * 500e3 / 86_400, "quick-math day"),  # 100,000 s day: 0.864
    (8e6, 1e6, "bits and bytes"),
    (1e6 / 8, 1e6, "bits and bytes"),
    (40e12 / 1e12, 40e12, "factor of 10^12"),  # returned TB instead of bytes
    (463e3, 463e6, "factor of 1,000"),
    (21.9 * 60, 21.9, "factor of 60"),  # seconds instead of minutes
    (15.0, 0.15, "factor of 100"),  # a percentage instead of a fraction
    (2 * 365, 2, "factor of 365"),
]


@pytest.mark.parametrize(("answer", "expected", "hint"), SLIPS)
def test_check_close_names_the_common_slip(answer, expected, hint):
    with pytest.raises(AssertionError, match="Hint: ") as info:
        grading.check_close("f()", answer, expected)
    assert hint in str(info.value)


def test_question_specific_hints_come_first():
    with pytest.raises(AssertionError, match="replicas"):
        grading.check_close("total", 1.0, 3.0, hints={1 / 3: "count the replicas"})


def test_the_exact_expected_value_is_revealed_only_on_request():
    with pytest.raises(AssertionError) as hidden:
        grading.check_close("peak", 100.0, 2314.8)
    assert "2,315" not in str(hidden.value) and "2314" not in str(hidden.value)
    with pytest.raises(AssertionError, match="about 2,315"):
        grading.check_close("peak", 100.0, 2314.8, reveal=True)


@given(
    expected=st.floats(min_value=1e-3, max_value=1e18),
    off=st.floats(min_value=0.051, max_value=0.99),
    high=st.booleans(),
)
def test_anything_outside_the_tolerance_fails(expected, off, high):
    answer = expected * (1 + off) if high else expected * (1 - off)
    with pytest.raises(AssertionError):
        grading.check_close("x", answer, expected, rel=0.05)


@given(expected=st.floats(min_value=1e-3, max_value=1e18), off=st.floats(min_value=-0.049, max_value=0.049))
def test_anything_inside_the_tolerance_passes(expected, off):
    grading.check_close("x", expected * (1 + off), expected, rel=0.05)


# --- numbers, types, counts --------------------------------------------------------------

NOT_NUMBERS = [
    (None, "forget to `return`"),
    (True, "yes/no value"),
    ("12", "not text"),
    (b"12", "not text"),
    (float("nan"), "NaN"),
    (float("inf"), "infinite"),
    ([1.0], "(list)"),
    (np.array([1.0]), "array of shape (1,)"),
    (1j, "(complex)"),
    (object(), "(object)"),
    (np.bool_(True), "yes/no value"),
    # Classes written in Python are refused before anything of them is read (see freeze).
    (fractions.Fraction(1, 2), "object of class Fraction"),
]


@pytest.mark.parametrize(("value", "words"), NOT_NUMBERS)
def test_values_that_are_not_numbers_are_refused_with_a_reason(value, words):
    with pytest.raises(AssertionError) as info:
        grading.check_close("average_qps(1, 1)", value, 1.0)
    assert str(info.value).startswith("average_qps(1, 1) ") and words in str(info.value)


def test_an_object_that_lies_in_comparisons_is_refused_before_it_is_compared():
    class Liar(float):
        def __le__(self, other):
            return True

        def __ge__(self, other):
            return True

        def __sub__(self, other):
            return 0.0

        def __eq__(self, other):
            return True

        __hash__ = float.__hash__

    with pytest.raises(AssertionError, match="object of class Liar; return plain values"):
        grading.check_close("x", Liar(5.0), 1.0)


@pytest.mark.parametrize(
    ("answer", "expected", "factor", "ok"),
    [
        (3e12, 1e12, 10, True),
        (3e14, 1e12, 10, False),
        (0.2, 1.0, 10, True),
        (0.05, 1.0, 10, False),
        (2.9, 1.0, 3, True),
        (3.1, 1.0, 3, False),
    ],
)
def test_check_magnitude_accepts_answers_within_the_factor(answer, expected, factor, ok):
    if ok:
        assert grading.check_magnitude("x", answer, expected, factor=factor) is None
    else:
        with pytest.raises(AssertionError, match=f"within a factor of {factor}"):
            grading.check_magnitude("x", answer, expected, factor=factor)


@pytest.mark.parametrize(
    ("value", "ok"),
    [(172, True), (172.0, True), (np.int64(3), True), (171.4, False), (-1, False), ("3", False)],
)
def test_check_whole_wants_a_whole_count(value, ok):
    if ok:
        assert grading.check_whole("servers", value) is None
    else:
        with pytest.raises(AssertionError, match="servers"):
            grading.check_whole("servers", value)


def test_check_type_names_the_wanted_and_the_given_type():
    assert grading.check_type("endpoints", ["GET /a"], (list, tuple)) is None
    with pytest.raises(
        AssertionError, match=r"endpoints should be a list or tuple, but it is 'GET /a' \(str\)"
    ):
        grading.check_type("endpoints", "GET /a", (list, tuple))
    grading.check_number("n", 3)


def test_every_check_returns_none_so_a_test_cell_never_shows_a_value():
    # nbgrader reads a value shown by a test cell as partial credit.
    results = [
        grading.check_number("n", 2),
        grading.check_close("n", 2, 2),
        grading.check_magnitude("n", 2, 2),
        grading.check_whole("n", 2),
        grading.check_type("n", 2, int),
        grading.require_genuine(),
    ]
    assert results == [None] * len(results)


# --- tamper resistance -----------------------------------------------------------------------


def test_a_replaced_helper_is_detected_and_a_reload_restores_it():
    grading.check_close = lambda *args, **kwargs: None
    with pytest.raises(AssertionError, match=r"replaced code the tests rely on \(grading.check_close\)"):
        grading.require_genuine()
    importlib.reload(grading).require_genuine()
    with pytest.raises(AssertionError):
        grading.check_close("x", 2.0, 1.0)


def test_a_swapped_code_object_is_detected():
    grading._order_phrase.__code__ = (lambda expected: "").__code__
    with pytest.raises(AssertionError, match="grading._order_phrase"):
        grading.require_genuine()


def genuine_check_with_builtin(name: str, fake: object) -> str:
    """Run require_genuine while ``builtins.<name>`` is ``fake``; restore it before anything else runs."""
    original = getattr(builtins, name)
    setattr(builtins, name, fake)
    try:
        grading.require_genuine()
    except AssertionError as exc:
        message = str(exc)
    else:
        message = ""
    finally:
        setattr(builtins, name, original)
    return message


@pytest.mark.parametrize("name", ["repr", "getattr", "isinstance", "open", "len", "compile"])
def test_a_replaced_builtin_is_detected(name):
    assert f"builtins.{name}" in genuine_check_with_builtin(name, lambda *args, **kwargs: True)


def test_a_builtin_swapped_for_another_builtin_is_detected():
    assert "builtins.repr" in genuine_check_with_builtin("repr", builtins.ascii)


def test_library_functions_a_hidden_test_relies_on_are_checked(monkeypatch):
    grading.require_genuine(estimate)
    monkeypatch.setattr(estimate, "traffic", lambda *args, **kwargs: estimate.Traffic(80e6, 925.9, 2314.8))
    with pytest.raises(AssertionError, match="estimate.traffic"):
        grading.require_genuine(estimate)
    monkeypatch.undo()
    monkeypatch.setattr(estimate.Scenario, "summary", lambda self, quick=False: {})
    with pytest.raises(AssertionError, match="estimate.Scenario.summary"):
        grading.require_genuine(estimate)
    monkeypatch.undo()
    grading.require_genuine(estimate)


def test_only_library_modules_can_be_vouched_for():
    import types

    with pytest.raises(AssertionError, match="not a module of the sysdesign library"):
        grading.require_genuine(types)


AUDIT = [
    ("grading.check_close = lambda *a, **k: None", True),
    ("sysdesign.estimate.traffic = fake", True),
    ("estimate . traffic=fake", True),
    ("setattr(grading, 'check_close', f)", True),
    ("import builtins", True),
    ("get_ipython().set_custom_exc((Exception,), h)", True),
    ("sys.displayhook(2)", True),
    ("import os; os._exit(0)", True),
    ("open('x.py', 'w')", True),
    ("return estimate.traffic(dau=dau, per_user_per_day=n).avg_qps", False),
    ("if grading.check_close == 3: pass", False),
    ("total = bytes_per_day * 365 * years * replicas", False),
]


@pytest.mark.parametrize(("line", "flagged"), AUDIT)
def test_audit_flags_tampering_and_leaves_answers_alone(line, flagged):
    assert grading.audit_source(f"x = 1\n{line}\n") == ([line] if flagged else [])


# --- freeze: the learner's value is read before the expected one, without running their code ---

SECRET = 987_654.321  # an expected value no answer below computes


class Spy:
    """Records every time a learner's object is asked anything, and whether SECRET was on the stack."""

    calls: list[str] = []
    seen: list[bool] = []

    @classmethod
    def look(cls, what: str) -> None:
        import sys

        cls.calls.append(what)
        frame, found = sys._getframe(1), False
        while frame is not None:
            values = list(frame.f_locals.values())
            found = found or any(type(v) in (float, dict) and v in (SECRET, {"a": "x"}) for v in values)
            frame = frame.f_back
        cls.seen.append(found)


class SpyFloat(float):
    def __float__(self):
        Spy.look("__float__")
        return 1.0

    def __eq__(self, other):
        Spy.look("__eq__")
        return True

    __hash__ = float.__hash__


class SpyDict(dict):
    def __contains__(self, key):
        Spy.look("__contains__")
        return True

    def __getitem__(self, key):
        Spy.look("__getitem__")
        return "x"

    def keys(self):
        Spy.look("keys")
        return super().keys()


class SpyStr(str):
    def __str__(self):
        Spy.look("__str__")
        return "x"

    def lower(self):
        Spy.look("lower")
        return "x"


@pytest.fixture
def spy():
    Spy.calls.clear()
    Spy.seen.clear()
    yield Spy
    Spy.calls.clear()
    Spy.seen.clear()


@pytest.mark.parametrize(
    ("check", "answer"),
    [
        (lambda a: grading.check_close("f()", a, SECRET), SpyFloat(SECRET)),
        (lambda a: grading.check_magnitude("f()", a, SECRET), SpyFloat(SECRET)),
        (lambda a: grading.check_labels("f()", a, {"a": "x"}, ["x", "y"]), SpyDict(a="x")),
        (lambda a: grading.check_labels("f()", a, {"a": "x"}, ["x", "y"]), {"a": SpyStr("x")}),
        (lambda a: grading.check_choice("f()", a, "x", ["x", "y"]), SpyStr("x")),
    ],
    ids=["close", "magnitude", "labels-dict", "labels-value", "choice"],
)
def test_no_code_of_the_learner_runs_while_a_checker_holds_the_expected_value(spy, check, answer):
    with pytest.raises(AssertionError, match="object of class Spy"):
        check(answer)
    assert spy.calls == [], "the learner's methods were never called"


def test_the_spy_would_have_seen_the_expected_value_had_it_been_called(spy):
    # Control for the test above: code that runs inside a frame holding SECRET finds it.
    def checker(answer, expected):
        return float(answer) == expected

    checker(SpyFloat(1.0), SECRET)
    assert spy.calls == ["__float__"] and spy.seen == [True]


def test_a_learner_function_reading_its_callers_frame_finds_no_expected_value():
    import sys

    seen: list[object] = []

    def classify():  # the learner's answer, called by a hidden test
        seen.extend(sys._getframe(1).f_locals.values())
        return {"a": "x"}

    def hidden_test():  # the order of a hidden test cell: the answer first, then the expected labels
        grading.check_labels("classify()", grading.freeze("classify()", classify()), {"a": "x"}, ["x", "y"])

    hidden_test()
    assert {"a": "x"} not in seen and "x" not in seen


@pytest.mark.parametrize(
    ("value", "frozen"),
    [
        (np.float64(2.5), 2.5),
        (np.int64(3), 3.0),
        (7, 7),
        (np.str_("chat_id"), "chat_id"),
        ((1, [2.0, {"k": np.float32(0.5)}]), (1, [2.0, {"k": 0.5}])),
        (np.array([[1, 2]]), [[1, 2]]),
        ({"b", "a"}, frozenset({"a", "b"})),
        (None, None),
        (np.bool_(False), False),
    ],
)
def test_freeze_gives_plain_builtin_values(value, frozen):
    got = grading.freeze("f()", value)
    assert got == frozen
    plain = (float, int, str, bool, list, tuple, dict, frozenset, type(None))

    def walk(x):
        assert type(x) in plain, type(x)
        if isinstance(x, dict):
            for k, v in x.items():
                walk(k)
                walk(v)
        elif isinstance(x, (list, tuple, frozenset)):
            for item in x:
                walk(item)

    walk(got)


def test_freeze_refuses_deep_nesting_and_python_classes_inside_containers():
    deep: list = []
    for _ in range(30):
        deep = [deep]
    with pytest.raises(AssertionError, match="more than 20 levels"):
        grading.freeze("f()", deep)
    with pytest.raises(AssertionError, match="object of class SpyStr"):
        grading.freeze("f()", ["ok", SpyStr("x")])


# --- fresh: private copies all the way down --------------------------------------------------


def test_fresh_copies_every_library_module_the_named_one_imports(monkeypatch):
    import sys

    import sysdesign._check
    import sysdesign.sim.sharding
    import sysdesign.sim.workload

    sharding = grading.fresh("sim.sharding")
    # sim/sharding.py: `from .. import _check` and `from .workload import zipf_keys`
    assert sharding._check is not sysdesign._check
    assert sharding._check.__file__ == sysdesign._check.__file__
    assert sharding.zipf_keys is not sysdesign.sim.workload.zipf_keys
    assert sharding.zipf_keys.__module__ == "sysdesign._graded.sim.workload"
    assert sys.modules["sysdesign._graded.sim.workload"].zipf_keys is sharding.zipf_keys
    assert grading.fresh("sim.sharding") is sharding, "cached until grading is reloaded"


def test_rebinding_a_shared_module_deep_down_changes_nothing_in_the_fresh_copy(monkeypatch):
    import sysdesign._check
    import sysdesign.sim.workload

    def rigged(*args, **kwargs):
        raise RuntimeError("the notebook's version ran")

    monkeypatch.setattr(sysdesign.sim.workload, "zipf_keys", rigged)
    monkeypatch.setattr(sysdesign._check, "number", rigged)
    monkeypatch.setattr(sysdesign._check, "choice", rigged)
    sharding = grading.fresh("sim.sharding")
    assert sharding.zipf_keys is not rigged and sharding._check.number is not rigged
    sharding._check.number("servers", 3)  # the genuine validator: no RuntimeError


def test_imports_inside_functions_of_a_fresh_copy_are_private_too():
    import sysdesign.estimate

    components = grading.fresh("components")
    importer = components.__builtins__["__import__"]
    got = importer("sysdesign.estimate", components.__dict__, None, ("traffic",), 0)
    assert got is not sysdesign.estimate and got.__name__ == "sysdesign._graded.estimate"
    top = importer("sysdesign.units", components.__dict__, None, (), 0)
    assert top.__name__ == "sysdesign._graded" and top.units.__name__ == "sysdesign._graded.units"
    assert importer("math", components.__dict__, None, (), 0) is __import__("math")


def test_fresh_refuses_unknown_names_and_a_replaced_import(monkeypatch):
    with pytest.raises(AssertionError, match="module of the library"):
        grading.fresh("no_such_module")
    with pytest.raises(AssertionError, match="module of the library"):
        grading.fresh(["api"])
    monkeypatch.setattr(builtins, "__import__", lambda *a, **k: None)
    with pytest.raises(AssertionError, match="replaced builtins.__import__"):
        grading.fresh("api")
