"""Patches to nbgrader's internals that make a grading run seconds faster, and the ``PATH`` it needs.

Each patch is applied once per process (it marks what it replaced with ``_sysdesign``) and keeps
nbgrader's behaviour: the same validation errors, the same gradebook schema version. They rely on
internals (``nbgrader.nbgraderformat.common.jsonschema``, ``nbgrader.api.get_alembic_version``), so
``tests/grading/test_autograde.py`` compares each with what nbgrader does without it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any


def skip_slow_imports() -> None:
    """Keep ``rfc3987_syntax`` from loading in this process (it builds a parser for 5-15 s at import).

    jsonschema imports it, when present, only to check the "iri" string format, which nbgrader
    never uses; marking it missing makes jsonschema skip that one format.
    """
    if "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]


def fast_metadata_validation() -> None:
    """Let nbgrader validate cell metadata with one compiled JSON-schema validator, not one per cell.

    nbgrader calls ``jsonschema.validate(metadata, schema)`` for every cell of every notebook it
    touches, which checks the schema itself each time: about 0.5 s per graded notebook of 40 cells.
    The same schema (nbgrader's own) is now compiled once; a bad cell still raises
    ``jsonschema.ValidationError``. Called by :func:`~sysdesign.nbgrading.config.grading_rules`, so
    the ``nbgrader`` command benefits too.
    """
    import jsonschema
    from nbgrader.nbgraderformat import common

    if getattr(common.jsonschema, "_sysdesign", False):
        return
    compiled: dict[int, Any] = {}

    class CachedSchemas:
        _sysdesign = True

        def __getattr__(self, attribute: str) -> Any:
            return getattr(jsonschema, attribute)

        @staticmethod
        def validate(instance: Any, schema: dict[str, Any]) -> None:
            validator = compiled.get(id(schema))
            if validator is None:
                validator = compiled[id(schema)] = jsonschema.validators.validator_for(schema)(schema)
                validator.check_schema(schema)
            error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
            if error is not None:
                raise error

    common.jsonschema = CachedSchemas()


def inprocess_alembic_version() -> None:
    """Let nbgrader read its gradebook schema version in this process instead of running ``alembic``.

    A new gradebook is stamped with the newest migration id, which nbgrader gets by running
    ``alembic heads`` as a subprocess: a second Python start-up (2 s idle, 20 s on a busy
    machine). Reading the same id from nbgrader's migration scripts with alembic's Python API
    gives the same answer; if that fails, nbgrader's own function is kept.
    """
    import nbgrader.api as nbapi

    if getattr(nbapi.get_alembic_version, "_sysdesign", False):
        return
    original = nbapi.get_alembic_version

    def head() -> str:
        try:
            from alembic.script import ScriptDirectory
            from nbgrader.dbutil import ALEMBIC_DIR

            found = ScriptDirectory(ALEMBIC_DIR).get_current_head()
            if found:
                return str(found)
        except Exception:  # noqa: BLE001 - fall back to nbgrader's subprocess
            pass
        return str(original())

    head._sysdesign = True  # type: ignore[attr-defined]
    head.original = original  # type: ignore[attr-defined]
    nbapi.get_alembic_version = head


def ensure_tools_on_path() -> None:
    """Put the folder of this Python first on ``PATH``: nbgrader runs ``alembic`` by name."""
    folder = str(Path(sys.executable).parent)
    entries = os.environ.get("PATH", "").split(os.pathsep)
    if folder not in entries:
        os.environ["PATH"] = os.pathsep.join([folder, *[p for p in entries if p]])
