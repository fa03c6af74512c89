"""What the hub tests share: the test users, the skip rule, and the running hub's description.

Kept out of conftest.py so test modules can import it by a name no other folder uses.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import hub as deploy_hub  # noqa: E402  (deploy/hub.py)

INSTRUCTOR = "sdt-inst"
STUDENTS = ["sdt-stu1", "sdt-stu2"]
BROWSER_STUDENT = "sdt-stu3"
USERS = [INSTRUCTOR, *STUDENTS, BROWSER_STUDENT]


def need(condition: bool, reason: str) -> None:
    """Skip (or fail, with SYSDESIGN_REQUIRE_HUB=1) unless ``condition`` holds."""
    if condition:
        return
    if os.environ.get("SYSDESIGN_REQUIRE_HUB") == "1":
        pytest.fail(reason + " — hub tests are required here (SYSDESIGN_REQUIRE_HUB=1)")
    pytest.skip(reason)


@dataclass
class CourseHub:
    hub: deploy_hub.Hub
    site: Path
    exchange: Path
    course: Path  # the instructor's course folder
    passwords: dict[str, str]
    timings: dict[str, float] = field(default_factory=dict)
    forgery: subprocess.CompletedProcess[str] | None = None  # set by the cycle in test_hub.py
    listener: Any = None  # a TCP listener the hostile submission tries to reach (test_hub.py)

    def home(self, user: str) -> Path:
        import pwd

        return Path(pwd.getpwnam(user).pw_dir)


def have_tools() -> bool:
    return all(
        shutil.which(tool) or Path("/usr/sbin", tool).exists() for tool in ("runuser", "useradd", "userdel")
    )
