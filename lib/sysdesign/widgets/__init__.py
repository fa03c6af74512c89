"""Explorers: thin ipywidgets views over the library, one function per explorer returning an ``Explorer``."""

from ._base import Chart, Explorer

__all__ = ["Chart", "Explorer"]
