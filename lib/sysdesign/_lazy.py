"""pandas and plotly, imported on first use.

Grading kernels import the library to check answers and rarely draw a table or a chart, yet
importing pandas costs about 0.5 s of CPU per notebook and plotly as much again: for a class
of hundreds of submissions that is most of the grading time. Modules that only need them inside
functions write ``from ._lazy import pd`` instead of ``import pandas as pd``; the first attribute
looked up (``pd.DataFrame``) imports the real module, which Python then keeps in ``sys.modules``.

>>> import sys
>>> pd.DataFrame({"a": [1]}).shape
(1, 1)
>>> "pandas" in sys.modules
True
"""

from __future__ import annotations

import importlib
from typing import Any


class LazyModule:
    """Stands for the module ``name`` and imports it when one of its attributes is first read."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


pd: Any = LazyModule("pandas")
go: Any = LazyModule("plotly.graph_objects")
