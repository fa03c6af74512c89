"""Session-wide test set-up: keep Jupyter and IPython state out of the home folder; hypothesis profiles.

Property tests run derandomized by default (`make test`: the same examples on every run, no example
database). `HYPOTHESIS_PROFILE=random` (`make test-random`) draws new examples each run instead.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import settings

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

settings.register_profile("deterministic", derandomize=True, database=None)
# print_blob: a failure prints the @reproduce_failure line that replays it under the default profile.
settings.register_profile("random", derandomize=False, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))
