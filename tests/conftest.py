"""Session-wide test set-up: keep Jupyter and IPython state out of the home folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_state = Path(tempfile.mkdtemp(prefix="sysdesign-test-"))
for _var, _sub in {
    "IPYTHONDIR": "ipython",
    "JUPYTER_CONFIG_DIR": "jupyter-config",
    "JUPYTER_DATA_DIR": "jupyter-data",
    "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
}.items():
    (_state / _sub).mkdir(parents=True, exist_ok=True)
    os.environ[_var] = str(_state / _sub)
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
