"""Checks for exercise tests: messages a learner can act on, and hidden tests that cannot be talked round.

Every helper raises ``AssertionError`` with a sentence meant for the learner, and returns
``None``: a test cell may end on a check, and nbgrader must not see a value there (it reads a
number shown by a test cell as partial credit).

>>> check_close("average_qps(86_400, 1)", 1.02, 1.0)
>>> check_close("peak_qps(100, 3)", 30, 300)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
AssertionError: peak_qps(100, 3) gave 30, which is 10 times too small; the expected value is between ...

``name`` is the expression being checked, written the way the learner would type it.

Visible and hidden tests
------------------------
A test cell (nbgrader) has one visible check, a sanity check on inputs whose answer is obvious
(86,400 uploads a day is one a second), so the exact answers of the scenario never appear in
the released notebook. The rest sits between ``### BEGIN HIDDEN TESTS`` and
``### END HIDDEN TESTS``: the scenario's numbers and a few other inputs, so an answer typed in as
a constant fails.

Why a submission cannot pass by changing the checks
---------------------------------------------------
nbgrader runs the learner's cells and the test cells in one Python process, so an answer cell
can rebind any name: ``grading.check_close = lambda *a, **k: None``, or
``estimate.traffic = <something that returns the scenario's answer>``. Hidden tests are written
so that this gains nothing:

1. **Expected values are computed inline** from literals and arithmetic operators in the test
   cell, e.g. ``40e6 * 2 / 86_400``, never by calling ``sysdesign.estimate`` or another function
   the notebook can reach. nbgrader restores the test cell's source from its gradebook before
   grading, so neither the numbers nor the arithmetic can be edited. A patched library only
   changes the learner's own answer, which is then compared with the inline value and with other
   inputs (where a patch that returns the scenario's number is wrong).
2. **The helpers are reloaded and checked**: each hidden block starts with::

       import importlib, sysdesign.grading as _g
       importlib.reload(_g).require_genuine()

   ``importlib.reload`` runs this file again, so every helper is redefined from the source on
   disk, whatever the notebook assigned to ``grading.check_close`` before. ``require_genuine``
   then checks identity: every builtin the helpers call (``repr``, ``getattr``, ``open``...) must
   still be the interpreter's own C function or type, and every function of this module must have
   exactly the ``__code__`` that a fresh compile of this file gives (code objects compare by
   bytecode, constants and names), which also catches a ``reload`` that did not really run. A
   hidden test that has to call the library (say, a simulation run on the learner's choice)
   names the modules it relies on, ``_g.require_genuine(estimate)``, and the same ``__code__``
   comparison covers each function and method of those modules. Better still, it runs a private
   copy of the module executed afresh from disk, ``_g.fresh("sim.quorum")``, with private copies
   of every library module it imports however deep, which no rebinding in the notebook reaches
   (functions *and* constants); the structured checks (``check_api``,
   ``check_architecture``, ``check_path``) grade that way, and ``fresh`` refuses to run when a
   builtin the copied module calls was replaced. A failed check is an
   ``AssertionError`` naming what was replaced, so that part scores zero.
3. **Answers are frozen first** (:func:`freeze`): converted once to a genuine ``float``, ``str``
   or ``dict`` of those, before any comparison and before the checker reads its expected value.
   A value of a class written in Python (a ``float`` subclass whose ``__le__`` always says
   ``True``, a ``dict`` whose ``__contains__`` inspects the caller's frame) is refused before
   anything of it is read, so no code of the notebook runs while a checker holds the expected
   value; bools, strings, NaN and infinity are refused with a message instead of compared.
4. nbgrader itself restores locked test cells that were edited, interrupts a cell that runs
   longer than ``Execute.timeout``, and records an error when a cell's traceback display was
   switched off (``set_custom_exc``), so those earn nothing either. A deleted test cell scores
   zero. The helpers return ``None``, because nbgrader reads a value shown by a test cell as
   partial credit; ``sysdesign.nbgrading.config.StrictTestOutputs`` (in ``nbgrader_config.py``) drops any
   value a test cell shows, so an answer that calls ``sys.displayhook(2)`` earns nothing.

What this does not stop: code that attacks the interpreter or the grading machinery instead of
names (the constants of the running test cell's code object, ``sys._getframe(1).f_code.co_consts``,
or its source in IPython's history, read by the answer function the test calls; objects found
through ``gc``; sending the kernel's reply messages by hand; ``ctypes``), and patches to
third-party libraries the fresh copies import (``networkx``, ``numpy``). Files and the network
are out of reach: every grading kernel runs in a sandbox (``sysdesign.nbgrading.sandbox``).
:func:`audit_source` lists
the tell-tale calls so an instructor can read such submissions (``sysdesign audit``). A
submission that kills its kernel (``os._exit``) is not graded at all: nbgrader reports an error
for it and carries on with the other students.
"""

from __future__ import annotations

import re
from typing import Any, cast

__all__ = [
    "audit_source",
    "check_api",
    "check_architecture",
    "check_at_least",
    "check_at_most",
    "check_choice",
    "check_close",
    "check_questions",
    "check_schema",
    "check_labels",
    "check_path",
    "check_magnitude",
    "check_number",
    "check_type",
    "check_whole",
    "freeze",
    "fresh",
    "require_genuine",
]

# The genuine built-in types, reached through literals: rebinding ``builtins.float`` cannot touch these.
_FLOAT = (0.0).__class__
_INT = (0).__class__
_BOOL = True.__class__
_STR = "".__class__
_BYTES = b"".__class__
_TYPE: Any = _INT.__class__
_BUILTIN_FUNCTION: type = [].append.__class__
_GENUINE_TYPES = {
    "float": _FLOAT,
    "int": _INT,
    "bool": _BOOL,
    "str": _STR,
    "bytes": _BYTES,
    "type": _TYPE,
    "tuple": ().__class__,
    "list": [].__class__,
    "dict": {}.__class__,
}

DEFAULT_REL = 0.05
"""Default relative tolerance of :func:`check_close`: 5 %, wide enough for a 30-day or 365/12-day month."""

# Ratios (answer / expected) that betray a common slip. Unit slips count in both directions.
_UNIT = "check the unit (answers are in base units: bytes, seconds, per second)"
_SLIPS: tuple[tuple[float, str, bool], ...] = (
    (86_400 / 100_000, "that is the quick-math day (100,000 s) instead of the exact 86,400 s", False),
    (100_000 / 86_400, "that is the quick-math day (100,000 s) instead of the exact 86,400 s", False),
    (8.0, "that is a factor of 8: bits and bytes mixed up?", True),
    (1e3, "that is a factor of 1,000; " + _UNIT, True),
    (1e6, "that is a factor of a million; " + _UNIT, True),
    (1e9, "that is a factor of a billion; " + _UNIT, True),
    (1e12, "that is a factor of 10^12; " + _UNIT, True),
    (60.0, "that is a factor of 60: minutes and seconds (or hours and minutes) mixed up?", True),
    (3_600.0, "that is a factor of 3,600: hours and seconds mixed up?", True),
    (86_400.0, "that is a factor of 86,400: per day and per second mixed up?", True),
    (24.0, "that is a factor of 24: hours and days mixed up?", True),
    (365.0, "that is a factor of 365: days and years mixed up?", True),
    (100.0, "that is a factor of 100: a percentage where a fraction was wanted (or the reverse)?", True),
)


def _describe(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({_TYPE(value).__name__})"


def _has_base(value: object, base: type) -> bool:
    for klass in _MRO.__get__(_TYPE(value)):  # type's own descriptor: a metaclass cannot answer instead
        if klass is base:
            return True
    return False


# Read through ``type``'s own descriptors, which no class or metaclass of a notebook can override.
_MRO = _TYPE.__dict__["__mro__"]
_FLAGS = _TYPE.__dict__["__flags__"]
_NAME = _TYPE.__dict__["__name__"]
_HEAP_TYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: a class written in Python, whose methods run Python code
_DICT_ITEMS: Any = {}.__class__.items
_LIST: Any = [].__class__
_TUPLE: Any = ().__class__


def _python_class(value: object) -> bool:
    """True when ``value``'s class is written in Python (a notebook's own, say): reading such a value
    (``float(x)``, ``x == y``, ``k in x``) can run the notebook's code, which could inspect the
    checker's frames for the expected value. Values of built-in and numpy types run no Python code."""
    return (_FLAGS.__get__(_TYPE(value)) & _HEAP_TYPE) != 0


def _not_plain(name: str, value: object, wanted: str) -> AssertionError:
    return AssertionError(
        f"{name} should be {wanted}, but it is an object of class {_NAME.__get__(_TYPE(value))}; "
        "return plain values (numbers, text, lists, dicts)."
    )


def freeze(name: str, value: Any, _depth: int = 0) -> Any:
    """``value`` as plain data, read without running any code of the notebook.

    Numbers become a genuine ``float`` (an ``int`` stays an ``int``), text a genuine ``str``; lists,
    tuples, sets and dicts are rebuilt from frozen items; ``None`` and booleans stay. Anything of a
    class written in Python (a subclass of ``dict`` or ``float`` with its own methods, say) is refused
    with an ``AssertionError`` naming ``name``, so a checker that freezes the learner's value first
    never lets the learner's code run while it holds the expected value.

    >>> import numpy as np
    >>> freeze("f()", {"a": np.float64(2.5), "b": [1, "x"]})
    {'a': 2.5, 'b': [1, 'x']}
    >>> class Sneaky(dict):
    ...     pass
    >>> freeze("f()", Sneaky())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: f() should be plain data, but it is an object of class Sneaky; return plain values ...
    """
    if _depth > 20:
        raise AssertionError(f"{name} is nested more than 20 levels deep.")
    if _python_class(value):
        raise _not_plain(name, value, "plain data")
    if value is None or value is True or value is False:
        return value
    kind = _NAME.__get__(_TYPE(value))
    if kind in ("bool", "bool_"):
        return True if value else False
    if _has_base(value, _STR):
        return _STR(value)
    if _has_base(value, _BYTES):
        return _BYTES(value)
    if _has_base(value, {}.__class__):
        return {freeze(name, k, _depth + 1): freeze(name, v, _depth + 1) for k, v in _DICT_ITEMS(value)}
    if _has_base(value, _LIST) or _has_base(value, _TUPLE):
        items = [freeze(name, item, _depth + 1) for item in _LIST(value)]
        return items if _has_base(value, _LIST) else _TUPLE(items)
    if _has_base(value, set) or _has_base(value, frozenset):
        return frozenset(freeze(name, item, _depth + 1) for item in _LIST(value))
    if kind == "ndarray":
        return freeze(name, value.tolist(), _depth + 1)  # type: ignore[attr-defined]
    if _has_base(value, _INT):
        return _INT(value)
    try:
        return _FLOAT(value)
    except Exception:  # noqa: BLE001 - a value that is no number is the learner's to fix
        raise AssertionError(f"{name} should be plain data, but it is {_describe(value)}.") from None


def _plain(x: float) -> str:
    """A readable number: thousands separators, three significant figures, e-notation when huge."""
    size = -x if x < 0 else x
    if size >= 1e7 or (0 < size < 1e-3):
        return f"{x:.3g}".replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")
    if size >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def _power_text(exponent: int) -> str:
    value = 10.0**exponent
    if -3 <= exponent <= 6:
        return f"{value:,.0f}" if exponent >= 0 else f"{value:g}"
    return f"1e{exponent}"


def _order_phrase(expected: float) -> str:
    """Where ``expected`` lies between two powers of ten, without saying more."""
    size = -expected if expected < 0 else expected
    if size == 0:
        return "the expected value is 0"
    exponent = 0
    while 10.0 ** (exponent + 1) <= size:
        exponent += 1
    while 10.0**exponent > size:
        exponent -= 1
    low, high = _power_text(exponent), _power_text(exponent + 1)
    sign = "minus " if expected < 0 else ""
    return f"the expected value is between {sign}{low} and {sign}{high}"


def _times(ratio: float) -> str:
    """'3.2 times too large', '40% too small' and so on, from answer / expected (> 0)."""
    if ratio >= 2:
        return f"{_plain(ratio)} times too large"
    if ratio > 1:
        return f"{(ratio - 1) * 100:.0f}% too large"
    if ratio > 0.5:
        return f"{(1 - ratio) * 100:.0f}% too small"
    return f"{_plain(1 / ratio)} times too small"


def _slip(ratio: float, hints: dict[float, str] | None) -> str:
    candidates: list[tuple[float, str, bool]] = []
    if hints:
        for factor, text in hints.items():
            candidates.append((_FLOAT(factor), text, False))
    candidates.extend(_SLIPS)
    for factor, text, both_ways in candidates:
        for target in (factor, 1 / factor) if both_ways else (factor,):
            if target > 0 and target * 0.985 <= ratio <= target * 1.015:
                return " Hint: " + text + ("" if text[-1:] in ".?!" else ".")
    return ""


def check_number(name: str, value: object) -> None:
    """Pass when ``value`` is a single finite number, else say what was given instead.

    Accepts ``int``, ``float`` and numpy scalars; refuses bools, strings, containers, NaN,
    infinity, and objects of classes written in Python (see :func:`freeze`).

    >>> check_number("servers", 3)
    >>> check_number("servers", None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: servers should be a number, but it is None (NoneType). Did the function forget to ...
    """
    _number(name, value)


def _number(name: str, value: Any) -> float:
    """``value`` converted once to a genuine float; later comparisons cannot be fooled by the object."""
    if value is None:
        raise AssertionError(
            f"{name} should be a number, but it is None (NoneType). "
            "Did the function forget to `return` its result?"
        )
    if _python_class(value):  # first: reading it could run the notebook's code (see freeze)
        raise _not_plain(name, value, "a number (int or float)")
    kind = _TYPE(value)
    if _has_base(value, _BOOL) or kind.__name__ in ("bool_", "bool"):
        raise AssertionError(f"{name} should be a number, but it is a yes/no value: {_describe(value)}.")
    if _has_base(value, _STR) or _has_base(value, _BYTES):
        raise AssertionError(f"{name} should be a number, not text: {_describe(value)}. Remove the quotes.")
    shape = getattr(value, "shape", ())
    if shape != () and shape is not None:
        raise AssertionError(f"{name} should be a single number, but it is an array of shape {shape!r}.")
    try:
        number = _FLOAT(value)  # exactly one conversion; everything after works on this genuine float
    except Exception:  # noqa: BLE001 - any failure to convert is the learner's to fix
        raise AssertionError(
            f"{name} should be a number (int or float), but it is {_describe(value)}."
        ) from None
    if number != number:
        raise AssertionError(f"{name} is NaN (not a number): a 0/0 or a missing input somewhere?")
    if number - number != 0:
        raise AssertionError(f"{name} is infinite: a division by zero somewhere?")
    return number


def check_type(name: str, value: object, expected: type | tuple[type, ...]) -> None:
    """Pass when ``value`` is an instance of ``expected`` (a type or a tuple of types).

    >>> check_type("endpoints", ["GET /a"], list)
    >>> check_type("endpoints", "GET /a", (list, tuple))
    Traceback (most recent call last):
    ...
    AssertionError: endpoints should be a list or tuple, but it is 'GET /a' (str).
    """
    options = cast("tuple[type, ...]", expected if _TYPE(expected) is ().__class__ else (expected,))
    for option in options:
        if _has_base(value, option):
            return
    wanted = " or ".join(option.__name__ for option in options)
    raise AssertionError(f"{name} should be a {wanted}, but it is {_describe(value)}.")


def check_close(
    name: str,
    answer: object,
    expected: float,
    *,
    rel: float = DEFAULT_REL,
    hints: dict[float, str] | None = None,
    reveal: bool = False,
) -> None:
    """Pass when ``answer`` is within ``rel`` (relative) of ``expected``.

    The message says how far off the answer is and in which direction, where the expected value
    lies between two powers of ten (the exact value only with ``reveal=True``), and a hint when
    the ratio matches a common slip (quick-math day, bits for bytes, a unit prefix, minutes for
    seconds). ``hints`` adds slips of this question, as ``{answer/expected ratio: hint}``.

    >>> check_close("ingress(8.64e10)", 1.0e6, 1e6)
    >>> check_close("ingress(8.64e10)", 8.64e5, 1e6)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: ingress(8.64e10) gave 864,000, which is 14% too small; ... the quick-math day ...
    """
    value = _number(name, answer)
    target = _FLOAT(expected)
    tolerance = _FLOAT(rel)
    gap = value - target
    gap = -gap if gap < 0 else gap
    scale = -target if target < 0 else target
    if gap <= tolerance * scale:
        return
    where = f"about {_plain(target)}" if reveal else _order_phrase(target)
    counts = f"(a difference of up to {tolerance * 100:g}% counts)"
    if target != 0 and (value > 0) == (target > 0) and value != 0:
        ratio = value / target
        raise AssertionError(
            f"{name} gave {_plain(value)}, which is {_times(ratio)}; {where} {counts}.{_slip(ratio, hints)}"
        )
    raise AssertionError(f"{name} gave {_plain(value)}; {where} {counts}.")


def check_magnitude(
    name: str, answer: object, expected: float, *, factor: float = 10.0, reveal: bool = False
) -> None:
    """Pass when ``answer`` is within a ``factor`` of ``expected`` either way (an order-of-magnitude answer).

    >>> check_magnitude("daily_storage", 3e12, 1e12)
    >>> check_magnitude("daily_storage", 3e14, 1e12)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: daily_storage gave 3e14, which is 300 times too large; ... within a factor of 10 counts).
    """
    value = _number(name, answer)
    target = _FLOAT(expected)
    spread = _FLOAT(factor)
    where = f"about {_plain(target)}" if reveal else _order_phrase(target)
    counts = f"(anything within a factor of {_plain(spread)} counts)"
    if target <= 0 or value <= 0:
        if value == target:
            return
        raise AssertionError(f"{name} gave {_plain(value)}; {where} {counts}.")
    if target / spread <= value <= target * spread:
        return
    raise AssertionError(f"{name} gave {_plain(value)}, which is {_times(value / target)}; {where} {counts}.")


def check_whole(name: str, answer: object, *, low: int = 0) -> None:
    """Pass when ``answer`` is a whole number >= ``low`` (a count: servers, shards, replicas).

    A float such as ``172.0`` counts as whole.

    >>> check_whole("servers", 172.0)
    >>> check_whole("servers", 171.4)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: servers should be a whole number, but it is 171.4. Round up (math.ceil): ...
    """
    value = _number(name, answer)
    whole = _INT(value)
    if whole != value:
        advice = " Round up (math.ceil): part of a server is still a whole server." if value > 0 else ""
        raise AssertionError(f"{name} should be a whole number, but it is {value:g}.{advice}")
    if whole < low:
        raise AssertionError(f"{name} should be at least {low}, but it is {whole}.")


def _tampered_builtins(codes: list[object] | None = None) -> list[str]:
    """Builtins this module (or the code objects ``codes``) uses that are no longer the interpreter's own.

    Written without calling any builtin itself (only literals, operators and methods of literals),
    so a replaced builtin cannot blind the check.
    """
    namespace = _tampered_builtins.__builtins__  # type: ignore[attr-defined]
    module = _tampered_builtins.__globals__
    function_type, code_type = _TYPE(_plain), _TYPE(_plain.__code__)
    used: dict[str, bool] = {}
    if codes is None:
        pending = [value.__code__ for value in module.values() if _TYPE(value) is function_type]
    else:
        pending = codes[:]
    while pending:
        code = pending.pop()
        for key in code.co_names:
            used[key] = True
        pending.extend(const for const in code.co_consts if _TYPE(const) is code_type)
    bad: list[str] = []
    for key in used:
        if key[:1] == "_" or key not in namespace or (codes is None and key in module):
            continue
        value = namespace[key]
        if key in _GENUINE_TYPES:
            ok = value is _GENUINE_TYPES[key]
        elif _TYPE(value) is _BUILTIN_FUNCTION:
            owner = value.__self__
            ok = (
                value.__name__ == key
                and _TYPE(owner).__name__ == "module"
                and owner.__name__ in ("builtins", "io")
            )
        else:
            # Exception classes: raising a replaced one still fails the test cell, which is safe.
            ok = _TYPE(value) is _TYPE and value.__module__ == "builtins"
        if not ok:
            bad.append(f"builtins.{key}")
    bad.sort()
    return bad


def _unwrap(value: object) -> object:
    """The plain function behind a staticmethod, classmethod, property or functools wrapper."""
    for attribute in ("__func__", "fget", "__wrapped__"):
        inner = getattr(value, attribute, None)
        if inner is not None:
            return _unwrap(inner)
    return value


def _namespace_problems(namespace: dict[str, object], path: str, label: str) -> list[str]:
    """Functions (and methods of classes) defined in the file ``path`` whose live version differs.

    The file is compiled afresh and each top-level function's code object is compared with the
    ``__code__`` of what ``namespace`` now holds under that name (code objects compare by value:
    bytecode, constants, names, line numbers). A replaced function, a swapped ``__code__`` or a
    patched method all show up; the file itself is trusted.
    """
    with open(path, encoding="utf-8") as handle:
        compiled = compile(handle.read(), path, "exec")
    code_type = _TYPE(compiled)
    problems = []
    for const in compiled.co_consts:
        if _TYPE(const) is not code_type or const.co_name.startswith("<"):
            continue
        live = namespace.get(const.co_name)
        if isinstance(live, _TYPE):
            # A class: compare the methods its body defines.
            for method in const.co_consts:
                if _TYPE(method) is not code_type or method.co_name.startswith("<"):
                    continue
                current = _unwrap(live.__dict__.get(method.co_name))
                if getattr(current, "__code__", None) != method:
                    problems.append(f"{label}.{const.co_name}.{method.co_name}")
            continue
        if live is None:
            continue  # a name defined only under a condition, or deleted: a NameError will say so
        if getattr(_unwrap(live), "__code__", None) != const:
            problems.append(f"{label}.{const.co_name}")
    return problems


def require_genuine(*modules: object) -> None:
    """Raise ``AssertionError`` unless the helpers, the builtins they use and ``modules`` are the originals.

    Call it right after ``importlib.reload`` in every hidden test block (see the module docstring).
    The reload redefines the helpers from this file; this identity check makes sure the reload
    really happened, that no builtin the helpers call was swapped, and that every function and
    method of the library ``modules`` a hidden test relies on (``require_genuine(estimate)``) is
    the one its source file defines. Pass modules only when the hidden test calls them; a
    patched module the test does not use should not cost the learner the part.

    >>> from sysdesign import estimate
    >>> require_genuine(estimate)
    """
    changed = _tampered_builtins()
    if not changed:
        changed.extend(_namespace_problems(globals(), __file__, "grading"))
        package = __file__[: -len("grading.py")]
        for module in modules:
            path = getattr(module, "__file__", None) or ""
            name = getattr(module, "__name__", "?")
            if not path.startswith(package) or not path.endswith(".py"):
                changed.append(f"{name} (not a module of the sysdesign library)")
                continue
            short = name[len("sysdesign.") :] if name.startswith("sysdesign.") else name
            changed.extend(_namespace_problems(vars(module), path, short))
    if changed:
        raise AssertionError(
            "This notebook replaced code the tests rely on ("
            + ", ".join(changed)
            + "). Remove the cell that "
            "does it, restart the kernel and run all cells again."
        )


_SUSPICIOUS = re.compile(
    r"""(?x)
    \b(?:grading|estimate|availability|units|sysdesign|math|builtins)\s*\.\s*\w+\s*=(?!=)  # rebinding
    | \bsetattr\s*\(
    | \bimportlib\b | \bsys\.modules\b | \b__builtins__\b | \bbuiltins\b
    | \bset_custom_exc\b | \bshowtraceback\b | \bsettrace\b | \bsetprofile\b
    | \bctypes\b | \b__code__\b | \bos\._exit\b | \bsys\.exit\b | \bget_ipython\b
    | \b_getframe\b | \bf_locals\b
    | \bdisplayhook\b | \bdisplay_pub\b | \bsession\.send\b | \biopub
    | \bopen\s*\([^)]*['"][wa]
    """
)


def audit_source(source: str) -> list[str]:
    """Lines of ``source`` that change the grading machinery or the interpreter (for an instructor to read).

    >>> audit_source("x = 1\\ngrading.check_close = lambda *a, **k: None")
    ['grading.check_close = lambda *a, **k: None']
    >>> audit_source("if grading.check_close == 3: pass")
    []
    >>> audit_source("import sysdesign.grading as g; g.check_labels = print")  # through an alias
    ['import sysdesign.grading as g; g.check_labels = print']
    """
    aliases = re.findall(
        r"\b(?:import\s+(?:sysdesign|math|builtins)(?:\.\w+)*|from\s+sysdesign(?:\.\w+)*\s+import\s+\w+)"
        r"\s+as\s+(\w+)",
        source,
    )
    rebinding = (
        re.compile(r"\b(?:" + "|".join(map(re.escape, aliases)) + r")\s*\.\s*\w+\s*=(?!=)")
        if aliases
        else None
    )
    return [
        line.strip()
        for line in source.splitlines()
        if _SUSPICIOUS.search(line) or (rebinding is not None and rebinding.search(line))
    ]


# --------------------------------------------------------------------------------------------
# Structured answers: choices, labels, API sketches, architecture graphs, request paths
# --------------------------------------------------------------------------------------------


def fresh(name: str) -> Any:
    """A private copy of ``sysdesign.<name>`` executed afresh from its file on disk, with private
    copies of every library module it imports, however deep.

    Structured checks grade with this copy, so a notebook that rebinds a function or a constant
    of the shared module (``api.RULES = ()``, ``components.KINDS[...] = ...``) or of a module it
    imports (``workload.zipf_keys = ...``, ``_check.number = ...``) changes nothing here: each
    copy runs with its own ``__import__``, which answers ``from . import _check``, ``from
    .workload import zipf_keys`` and ``import sysdesign.units`` (also inside functions) with
    private copies loaded from disk too. Modules outside the library (``math``, ``numpy``) are
    the shared ones. The copies are cached until this module is reloaded (every hidden block
    reloads it); ``fresh`` refuses to run when a builtin a copied module calls was replaced.

    >>> fresh("sim.quorum").__name__
    'sysdesign._graded.sim.quorum'
    """
    _private_builtins()  # first: refuses a replaced __import__, which the lookups below would call
    if not _has_base(name, _STR) or _library_file(name) is None:
        raise AssertionError(f"fresh() takes the name of a module of the library, not {_describe(name)}.")
    return _fresh_module("".__class__(name))


_FRESH: dict[str, object] = {}
_PRIVATE = "sysdesign._graded"


def _library_file(name: str) -> tuple[str, bool] | None:
    """(file, is a package) of library module ``name`` ("" is the package itself), or None."""
    import os.path as _path

    folder = __file__[: -len("grading.py")]
    base = folder + name.replace(".", "/") if name else folder[:-1]
    if _path.isfile(base + "/__init__.py"):
        return base + "/__init__.py", True
    if name and _path.isfile(base + ".py"):
        return base + ".py", False
    return None


def _fresh_module(name: str) -> Any:
    """The private copy of library module ``name`` (a package is executed only on demand)."""
    cached = _FRESH.get(name)
    if cached is not None:
        return cached
    import sys as _sys

    found = _library_file(name)
    if found is None:
        raise ImportError(f"no module named sysdesign.{name}")
    path, package = found
    private = _PRIVATE + ("." + name if name else "")
    module: Any = _TYPE(_sys)(private)
    module.__file__ = path
    module.__builtins__ = _private_builtins()
    if package:
        module.__path__ = [path[: -len("/__init__.py")]]
        module.__package__ = private
    else:
        module.__package__ = private.rpartition(".")[0]
    _FRESH[name] = module
    _sys.modules[private] = module  # dataclasses look their module up there
    if name:
        parent, _, last = name.rpartition(".")
        setattr(_fresh_module(parent), last, module)
    if not package:
        _run(module, path)
    return module


def _run(module: object, path: str) -> None:
    """Execute the library file ``path`` in ``module``, unless a builtin it calls was replaced."""
    with open(path, encoding="utf-8") as handle:
        code = compile(handle.read(), path, "exec")
    changed = _tampered_builtins([code])
    if changed:
        raise AssertionError(
            "This notebook replaced builtins the library relies on (" + ", ".join(changed) + "). "
            "Remove the cell that does it, restart the kernel and run all cells again."
        )
    exec(code, module.__dict__)


def _private_builtins() -> dict[str, object]:
    """The builtins of the private copies: the interpreter's own, with :func:`_private_import`."""
    namespace = _tampered_builtins.__builtins__  # type: ignore[attr-defined]
    real = namespace["__import__"]
    if _TYPE(real) is not _BUILTIN_FUNCTION or real.__self__.__name__ != "builtins":
        raise AssertionError(
            "This notebook replaced builtins.__import__. Remove the cell that does it, restart the "
            "kernel and run all cells again."
        )
    private = namespace.copy()
    private["__import__"] = _private_import
    return private


def _private_import(
    name: str, globals: dict | None = None, locals: object = None, fromlist: tuple = (), level: int = 0
) -> object:
    """``__import__`` of the private copies: library modules come from :func:`_fresh_module`."""
    target = name
    if level:
        bits = ((globals or {}).get("__package__") or "").split(".")
        base = ".".join(bits[: len(bits) - level + 1])
        target = base + ("." + name if name else "")
    for prefix in (_PRIVATE, "sysdesign"):
        if target == prefix or target.startswith(prefix + "."):
            rel = target[len(prefix) + 1 :]
            break
    else:
        return _tampered_builtins.__builtins__["__import__"](name, globals, locals, fromlist, level)  # type: ignore[attr-defined]
    module: Any = _fresh_module(rel)
    if not fromlist:
        for depth in range(rel.count(".") + 1 if rel else 0):
            _fresh_module(".".join(rel.split(".")[: depth + 1]))
        return _fresh_module("")
    for item in fromlist:
        sub = (rel + "." if rel else "") + item
        if item != "*" and _library_file(sub) is not None:
            _fresh_module(sub)
        elif item not in module.__dict__ and not module.__dict__.get("__graded_init__"):
            module.__graded_init__ = True
            _run(module, module.__file__)
    return module


def _string(name: str, value: object) -> str:
    """``value`` as a genuine ``str``, or an AssertionError naming ``name`` when it is not text."""
    if _python_class(value):  # first: reading it could run the notebook's code (see freeze)
        raise _not_plain(name, value, "text (a string)")
    if not _has_base(value, _STR):
        raise AssertionError(f"{name} should be text (a string), but it is {_describe(value)}.")
    return "".__class__(value)


def _text(name: str, value: object) -> str:
    """``value`` as text for comparing choices: case and surrounding spaces ignored."""
    return _string(name, value).strip().lower()


def _options_text(options: tuple[str, ...] | list[str]) -> str:
    return ", ".join(repr(o) for o in options)


def check_choice(
    name: str, answer: object, expected: str | tuple[str, ...], options: tuple[str, ...] | list[str]
) -> None:
    """Pass when ``answer`` is one of ``options`` (case and spaces ignored) and the expected one.

    ``expected`` may be a tuple when several choices are right. The message on a wrong choice
    does not say which option is right; it says the choice is not the best fit for the scenario.

    >>> check_choice("shard_key()", "Chat_ID ", "chat_id", ["chat_id", "user_id"])
    >>> check_choice("shard_key()", "message", "chat_id", ["chat_id", "user_id"])
    Traceback (most recent call last):
    ...
    AssertionError: shard_key() gave 'message', which is not one of the options: 'chat_id', 'user_id'.
    """
    allowed = [o.lower() for o in options]
    given = _text(name, answer)
    if given not in allowed:
        raise AssertionError(
            f"{name} gave {answer!r}, which is not one of the options: {_options_text(options)}."
        )
    right = [expected] if isinstance(expected, _STR) else list(expected)
    if given not in [r.lower() for r in right]:
        raise AssertionError(
            f"{name} gave {answer!r}: a possible choice, but not the best fit for this scenario. "
            "Reread the scenario's numbers and the access pattern, then choose again."
        )


def check_labels(
    name: str, answer: Any, expected: dict[str, str], options: tuple[str, ...] | list[str]
) -> None:
    """Pass when ``answer`` maps every key of ``expected`` to its label (case and spaces ignored).

    A value of ``expected`` may be a tuple of labels when experts could defend each of them.
    The message names the keys that are missing, unknown or labelled wrong, never the right labels.

    >>> rules = {"send": "functional", "p99": "non-functional"}
    >>> kinds = ["functional", "non-functional"]
    >>> check_labels("classify()", {"send": "Functional", "p99": "non-functional"}, rules, kinds)
    >>> check_labels("classify()", {"send": "functional", "p99": "functional"}, rules, kinds)
    Traceback (most recent call last):
    ...
    AssertionError: classify() labels 1 of 2 items wrong: 'p99'.
    >>> either = {**rules, "p99": tuple(kinds)}
    >>> check_labels("classify()", {"send": "functional", "p99": "functional"}, either, kinds)
    """
    answer = freeze(name, answer)  # first: from here on no code of the notebook runs
    if not _has_base(answer, {}.__class__):
        raise AssertionError(f"{name} should be a dict of item -> label, but it is {_describe(answer)}.")
    keys = list(expected)
    missing = [k for k in keys if k not in answer]
    unknown = [k for k in answer if k not in expected]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("missing " + _options_text(missing))
        if unknown:
            parts.append("unknown items " + _options_text([str(k) for k in unknown]))
        raise AssertionError(
            f"{name} should label exactly the items {_options_text(keys)}: " + "; ".join(parts) + "."
        )
    allowed = [o.lower() for o in options]
    for key in keys:
        label = _text(f"{name}[{key!r}]", answer[key])
        if label not in allowed:
            raise AssertionError(
                f"{name}[{key!r}] is {answer[key]!r}, which is not one of the labels: "
                f"{_options_text(options)}."
            )

    def right(key: str) -> list[str]:
        labels = [expected[key]] if _has_base(expected[key], _STR) else list(expected[key])
        return [label.lower() for label in labels]

    wrong = [k for k in keys if _text(k, answer[k]) not in right(k)]
    if wrong:
        raise AssertionError(
            f"{name} labels {len(wrong)} of {len(keys)} items wrong: {_options_text(wrong)}."
        )


def check_at_most(name: str, answer: object, limit: float) -> None:
    """Pass when ``answer`` is a number no larger than ``limit``.

    >>> check_at_most("shards touched", 1, 1)
    >>> check_at_most("shards touched", 3.5, 1)
    Traceback (most recent call last):
    ...
    AssertionError: shards touched is 3.5; it should be at most 1.
    >>> check_at_most("p99 (s)", 0.0010000000000000009, 0.001)  # rounding at the boundary passes
    """
    value = _number(name, answer)
    bound = _FLOAT(limit)
    if value > bound and not _rounding_only(value, bound):
        raise AssertionError(f"{name} is {_plain(value)}; it should be at most {_plain(bound)}.")


ROUNDING = 1e-9
"""Relative slack of the boundary checks: ``math.isclose``'s ``rel_tol`` (1e-9), so an answer computed
exactly (``NormalDist().inv_cdf`` giving 0.0010000000000000009 for a limit of 0.001) is not failed
by floating-point rounding."""


def _rounding_only(value: float, bound: float) -> bool:
    """True when ``value`` and ``bound`` differ by no more than rounding (``math.isclose(value, bound,
    rel_tol=ROUNDING)``), computed inline: the notebook can rebind ``math.isclose``, not ``-`` or ``*``."""
    gap = value - bound
    gap = -gap if gap < 0 else gap
    size = -value if value < 0 else value
    other = -bound if bound < 0 else bound
    return gap <= ROUNDING * (size if size > other else other)


def check_at_least(name: str, answer: object, limit: float) -> None:
    """Pass when ``answer`` is a number no smaller than ``limit``.

    >>> check_at_least("replicas", 3, 2)
    >>> check_at_least("replicas", 1, 2)
    Traceback (most recent call last):
    ...
    AssertionError: replicas is 1; it should be at least 2.
    >>> check_at_least("availability", 0.9989999999999999, 0.999)  # rounding at the boundary passes
    """
    value = _number(name, answer)
    bound = _FLOAT(limit)
    if value < bound and not _rounding_only(value, bound):
        raise AssertionError(f"{name} is {_plain(value)}; it should be at least {_plain(bound)}.")


def check_api(
    name: str,
    answer: Any,
    operations: tuple[str, ...] | list[str] = (),
    *,
    low: int = 3,
    high: int = 5,
    allowed: tuple[str, ...] = ("info",),
    idempotent: tuple[str, ...] | list[str] = (),
) -> None:
    """Pass when ``answer`` is ``low``..``high`` endpoint lines an interviewer accepts for ``operations``.

    Every line must parse (``sysdesign.api`` format); a review finding of a severity not in
    ``allowed`` fails with the rule's own message and fix (style, such as plural nouns or a version,
    is ``info`` and never fails); each operation (``"create link"``, ``"get link"``) needs an
    endpoint that provides it, the resource named by meaning (``api.supports``: ``/urls`` serves
    ``create link``); a ``list`` operation must page; each operation of ``idempotent`` must carry an
    idempotency key (``api.judge``). Grading runs on a fresh copy of the library, so rebinding
    ``api.review`` in the notebook changes nothing.

    >>> lines = ["POST /api/v1/urls {long_url} -> {code}", "GET /api/v1/urls/{code} -> {long_url}",
    ...          "DELETE /api/v1/urls/{code}"]
    >>> check_api("api()", lines, ["create link", "get link"])
    >>> check_api("api()", lines, ["list links"])
    Traceback (most recent call last):
    ...
    AssertionError: api() has no endpoint for: 'list links'.
    """
    api = fresh("api")
    if not (_has_base(answer, [].__class__) or _has_base(answer, ().__class__)):
        raise AssertionError(f"{name} should be a list of endpoint lines, but it is {_describe(answer)}.")
    lines = [_string(f"{name}[{i}]", line) for i, line in enumerate(answer)]
    if not low <= len(lines) <= high:
        raise AssertionError(f"{name} has {len(lines)} endpoints; sketch between {low} and {high} core ones.")
    endpoints = []
    for i, line in enumerate(lines):
        try:
            endpoints.append(api.parse_endpoint(line))
        except (ValueError, TypeError) as exc:
            raise AssertionError(f"{name}[{i}] cannot be read: {exc}") from None
    sketch = api.Api(tuple(endpoints))
    try:
        found = api.judge(sketch, list(operations), idempotent=list(idempotent))
    except (ValueError, TypeError) as exc:
        raise AssertionError(
            f"the test of {name} names an operation the library cannot read: {exc}"
        ) from None
    bad = [f for f in found if f.severity not in allowed and f.rule != "missing-operation"]
    if bad:
        first = bad[0]
        where = f" ({first.endpoint})" if first.endpoint else ""
        raise AssertionError(
            f"{name} breaks {len(bad)} review rule{'s' if len(bad) > 1 else ''}; first: "
            f"[{first.rule}]{where} {first.message} Fix: {first.fix}"
        )
    missing = [op for op in api.missing_operations(sketch, [*operations, *idempotent]) if op]
    if missing:
        raise AssertionError(f"{name} has no endpoint for: {_options_text(list(dict.fromkeys(missing)))}.")


def _architecture(name: str, answer: object) -> Any:
    """The learner's architecture rebuilt from plain data by a fresh copy of ``components``."""
    components = fresh("components")
    graph = getattr(answer, "_g", None)
    if graph is None or not hasattr(graph, "nodes"):
        raise AssertionError(
            f"{name} should be an Architecture (sysdesign.components.Architecture), "
            f"but it is {_describe(answer)}."
        )
    try:
        spec = components.Architecture.to_spec(answer)
        return components.Architecture.from_spec(
            spec["components"], spec["edges"], name=spec["name"], budget_s=spec["budget_s"]
        )
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise AssertionError(f"{name} is not a valid architecture: {exc}") from None


def check_architecture(
    name: str, answer: object, kinds: tuple[str, ...] | list[str] = (), *, redundant: bool = True
) -> None:
    """Pass when the architecture has each of ``kinds`` and, if ``redundant``, no single point of failure.

    A kind written ``"load_balancer|api_gateway"`` accepts either. Also fails on the graph's own
    problems (components no arrow reaches, for example).

    >>> from sysdesign.components import Architecture
    >>> a = Architecture.from_spec({"user": "client", "lb": ("load_balancer", 2), "app": ("app_server", 3),
    ...     "db": ("database", 1)}, [("user", "lb"), ("lb", "app"), ("app", "db")])
    >>> check_architecture("design()", a, ["load_balancer", "database|object_storage"], redundant=False)
    >>> check_architecture("design()", a, ["cache"])
    Traceback (most recent call last):
    ...
    AssertionError: design() has no component of kind: 'cache'.
    >>> check_architecture("design()", a)
    Traceback (most recent call last):
    ...
    AssertionError: design() has single points of failure (fewer than 2 replicas): 'db'.
    """
    arch = _architecture(name, answer)
    present = {c.kind for c in arch._components()}
    missing = [k for k in kinds if not any(option in present for option in k.split("|"))]
    if missing:
        raise AssertionError(f"{name} has no component of kind: {_options_text(missing)}.")
    problems = arch.problems()
    if problems:
        raise AssertionError(f"{name}: {problems[0]}")
    if redundant:
        singles = arch.single_points_of_failure()
        if singles:
            raise AssertionError(
                f"{name} has single points of failure (fewer than 2 replicas): {_options_text(singles)}."
            )


def check_path(
    name: str,
    answer: Any,
    path: Any,
    *,
    visits: tuple[str, ...] | list[str] = (),
    ack_at: str | None = None,
    budget_s: float | None = None,
) -> None:
    """Pass when ``path`` is a request through the architecture ``answer`` that starts at a client,
    visits a component of each of ``visits`` (kinds, ``"a|b"`` for either), fits the latency budget,
    and, with ``ack_at``, has the data in durable storage (a database, queue or object store) before
    that component's last visit on the path, where it answers the client. A database on the path
    with an arrow to a message queue reaches that queue (an outbox or change-data capture).

    >>> from sysdesign.components import Architecture
    >>> a = Architecture.from_spec({"user": "client", "app": ("app_server", 2), "db": ("database", 2),
    ...     "q": ("message_queue", 2)}, [("user", "app"), ("app", "db"), ("db", "q")], budget_s=0.2)
    >>> check_path("write_path()", a, ["user", "app", "db", "app"], visits=["database", "message_queue"],
    ...     ack_at="app")
    >>> check_path("write_path()", a, ["user", "app"], ack_at="app")
    Traceback (most recent call last):
    ...
    AssertionError: write_path() acknowledges at 'app' before anything durable holds the data.
    """
    arch = _architecture(name, answer)
    if not (_has_base(path, [].__class__) or _has_base(path, ().__class__)):
        raise AssertionError(f"{name} should be a list of component names, but it is {_describe(path)}.")
    steps = [_string(f"{name}[{i}]", step) for i, step in enumerate(path)]
    if len(steps) < 2:
        raise AssertionError(f"{name} should name at least two components, the client first.")
    try:
        trace = arch.trace(steps, budget_s=budget_s)
    except (ValueError, TypeError) as exc:
        raise AssertionError(f"{name} cannot be traced: {exc}") from None
    if arch.component(steps[0]).kind != "client":
        raise AssertionError(f"{name} should start at a client, not {steps[0]!r}.")
    kinds = {arch.component(s).kind for s in steps}
    graph = arch.graph
    # A database on the path with an arrow to a queue hands its committed rows to that queue
    # (a transactional outbox or change-data capture): the queue is reached without a second write.
    kinds |= {
        "message_queue"
        for s in steps
        if arch.component(s).kind == "database"
        for t in graph.successors(s)
        if arch.component(t).kind == "message_queue"
    }
    missing = [k for k in visits if not any(option in kinds for option in k.split("|"))]
    if missing:
        raise AssertionError(f"{name} never reaches a component of kind: {_options_text(missing)}.")
    if not trace.within_budget:
        raise AssertionError(f"{name}: {trace.describe()} It is over budget; cut hops or use a cache.")
    if ack_at is not None:
        if ack_at not in steps:
            raise AssertionError(f"{name} never passes {ack_at!r}, where the acknowledgement is sent.")
        last = len(steps) - 1 - steps[::-1].index(ack_at)  # the reply leaves on its last visit
        if not any(arch.component(s).spec.durable for s in steps[: last + 1]):
            raise AssertionError(f"{name} acknowledges at {ack_at!r} before anything durable holds the data.")


# --------------------------------------------------------------------------------------------
# Clarifying questions and schemas (pure logic in sysdesign.schema_check)
# --------------------------------------------------------------------------------------------


def check_questions(
    name: str, answer: Any, topics: tuple[str, ...] | list[str], *, need: int | None = None
) -> None:
    """Pass when ``answer``, a list of clarifying questions, asks about at least ``need`` of ``topics``
    (names of ``schema_check.TOPICS``; by default all but one), in any wording the topics' vocabulary
    knows. The message gives a hint for every topic nobody asked about.

    >>> qs = ["How many daily active users?", "What read to write ratio?", "Is stale data fine?",
    ...       "What p99 latency?", "How long do we keep data?", "What uptime target?"]
    >>> check_questions("questions()", qs, ["scale", "read_write", "consistency", "latency", "retention",
    ...                 "availability", "features"])
    >>> check_questions("questions()", qs[2:], ["scale", "read_write", "consistency"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: questions() asks about 1 of 3 topics; at least 2 are needed. Missing: ...
    """
    answer = freeze(name, answer)  # first: from here on no code of the notebook runs
    check = fresh("schema_check")
    if not (_has_base(answer, _LIST) or _has_base(answer, _TUPLE)):
        raise AssertionError(
            f"{name} should be a list of questions (strings), but it is {_describe(answer)}."
        )
    questions = [_string(f"{name}[{i}]", q) for i, q in enumerate(answer)]
    low, high = check.MIN_QUESTIONS, check.MAX_QUESTIONS
    if not low <= len(questions) <= high:
        raise AssertionError(f"{name} has {len(questions)} questions; ask between {low} and {high}.")
    for i, question in enumerate(questions):
        problem = check.question_problem(question)
        if problem:
            raise AssertionError(f"{name}[{i}] ({question!r}) is not a question: {problem}.")
    wanted = list(topics)
    least = check.needed(len(wanted)) if need is None else need
    asked = check.covered(questions, wanted)
    if len(asked) < least:
        hints = " ".join(check.TOPICS[t].hint for t in wanted if t not in asked)
        raise AssertionError(
            f"{name} asks about {len(asked)} of {len(wanted)} topics; at least {least} are needed. "
            f"Missing: {hints}"
        )


def check_schema(
    name: str,
    answer: object,
    rows: dict[str, list[dict[str, object]]],
    queries: dict[str, tuple[str, tuple, list[tuple]]] | None = None,
) -> None:
    """Pass when ``answer``, SQL text of CREATE TABLE / CREATE INDEX statements, runs in SQLite, takes
    the seeded ``rows`` (table -> list of column -> value dicts), and each of ``queries`` (name ->
    (SQL, parameters, expected rows)) returns the expected rows (in order when it has an ORDER BY)
    through an index: its EXPLAIN QUERY PLAN has no SCAN of a table and no temporary B-tree for sorting.

    >>> ddl = "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT, n INTEGER)"
    >>> seed = {"t": [{"k": "a", "v": "x", "n": 1}, {"k": "b", "v": "y", "n": 1}]}
    >>> check_schema("schema()", ddl, seed, {"get": ("SELECT v FROM t WHERE k = ?", ("a",), [("x",)])})
    >>> check_schema("schema()", ddl, seed, {"by n": ("SELECT k FROM t WHERE n = ?", (1,), [("a",), ("b",)])})
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: schema(): the query 'by n' (SELECT k FROM t WHERE n = ?) returns the right rows, but ...
    """
    answer = freeze(name, answer)  # first: from here on no code of the notebook runs
    check = fresh("schema_check")
    ddl = _string(name, answer)
    wanted = {} if queries is None else dict(queries)
    try:
        runs = check.run_schema(ddl, rows, {q: (sql, params) for q, (sql, params, _) in wanted.items()})
    except ValueError as exc:
        raise AssertionError(f"{name}: {exc}.") from None
    for query, (sql, _, expected) in wanted.items():
        run = runs[query]
        ordered = "ORDER BY" in sql.upper()
        if not check.same_rows(run.rows, expected, ordered):
            order = " in that order" if ordered else ""
            raise AssertionError(
                f"{name}: the query {query!r} ({' '.join(sql.split())}) returns other rows "
                f"than expected ({len(run.rows)} rows, {len(expected)} expected{order}); check the column "
                "types and what each row holds."
            )
        problem = check.plan_problem(run.plan)
        if problem:
            raise AssertionError(
                f"{name}: the query {query!r} ({' '.join(sql.split())}) returns the right rows, "
                f"but {problem}."
            )
