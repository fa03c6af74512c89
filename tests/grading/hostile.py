"""A hostile ps01 submission for the sandbox tests (tests/grading/test_sandbox.py, tests/hub/test_hub.py).

``ATTACK_CODE`` goes at the top of an answer cell of an otherwise correct notebook. In the grading
kernel it tries each of ``ATTACKS`` against the instructor's course folder and prints one line per
attempt, ``BLOCKED <attack> <error>`` or ``DONE <attack> <what it got>``; :func:`verdicts` judges
those lines together with what the host saw (a file written into the course, a TCP connection).
"""

from __future__ import annotations

import html
import json
import re
import socket
import threading
from pathlib import Path

SET = "ps01_estimation"
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.DOTALL)
SOLUTION = Path(__file__).resolve().parents[2] / "solutions" / SET / f"{SET}.ipynb"

ATTACKS = [
    "read-later-solutions",
    "read-solutions-relative",
    "read-private-notes",
    "list-course-folder",
    "read-other-submission",
    "find-gradebook-in-tmp",
    "write-course-folder",
    "create-gradebook-table",
    "tcp-connect",
]

ATTACK_CODE = """\
def _attack(course, port, other_student):
    import glob, os, socket, sqlite3, tempfile
    def attempt(name, action):
        try:
            got = action()
        except BaseException as exc:  # noqa: BLE001
            print("BLOCKED", name, type(exc).__name__)
        else:
            print("DONE", name, repr(got))
    def read(path):
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    def write(path):
        with open(path, "x") as handle:
            return handle.write("pwned")
    def table(path):
        db = sqlite3.connect("file:" + path + "?mode=rw", uri=True)
        db.execute("CREATE TABLE pwned (x)")
        db.commit()
        return "table created"
    def gradebooks():
        pattern = os.path.join(tempfile.gettempdir(), "sysdesign-*", "**", "gradebook.db")
        found = glob.glob(pattern, recursive=True)
        if not found:
            raise FileNotFoundError("no gradebook in /tmp")
        return found
    def connect():
        with socket.create_connection(("127.0.0.1", port), timeout=3) as conn:
            conn.sendall(b"pwned")
        return "connected"
    later = "solutions/ps02_requirements_api/ps02_requirements_api.ipynb"
    attempt("read-later-solutions", lambda: read(os.path.join(course, later)))
    attempt("read-solutions-relative", lambda: read(os.path.join("..", "..", "..", later)))
    attempt("read-private-notes", lambda: read(os.path.join(course, "instructor_notes.txt")))
    attempt("list-course-folder", lambda: os.listdir(course))
    other = os.path.join(course, "submitted", other_student, "ps01_estimation", "ps01_estimation.ipynb")
    attempt("read-other-submission", lambda: read(other))
    attempt("find-gradebook-in-tmp", gradebooks)
    attempt("write-course-folder", lambda: write(os.path.join(course, "pwned.txt")))
    attempt("create-gradebook-table", lambda: table(os.path.join(course, "gradebook.db")))
    attempt("tcp-connect", connect)
_attack({course!r}, {port!r}, {other!r})
"""


class Listener:
    """A TCP server on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.sock.close()


def verdict(attack: str, done: str, detail: str, folder: Path) -> str:
    """What an attempt achieved, judged from the kernel's report and from the host's side."""
    if done == "BLOCKED":
        return f"blocked ({detail})"
    if attack == "list-course-folder" and set(eval(detail)) <= {"autograded"}:  # noqa: S307 - our own repr
        return f"sees only the path to its own folder ({detail}), none of the course's files"
    if attack == "write-course-folder" and not (folder / "pwned.txt").exists():
        return "wrote into the sandbox's private /tmp (the course sits under /tmp); course folder unchanged"
    return f"LEAKED ({detail[:80]})"


def verdicts(text: str, folder: Path) -> dict[str, str]:
    """attack -> what it achieved, from the ``BLOCKED``/``DONE`` lines in ``text``."""
    found = {}
    for done, attack, detail in re.findall(r"^(BLOCKED|DONE) (\S+) ?(.*)$", text, re.MULTILINE):
        found[attack] = verdict(attack, done, detail, folder)
    return found


def outputs_text(nb: dict) -> str:
    return "\n".join(
        "".join(o.get("text", "")) if isinstance(o.get("text", ""), list) else o.get("text", "")
        for c in nb["cells"]
        for o in c.get("outputs", [])
    )


def hidden_lines() -> list[str]:
    """Every line of hidden test code in the ps01 source (what must not reach a feedback page)."""
    nb = json.loads(SOLUTION.read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"])
    visible = {line.strip() for line in HIDDEN.sub("", text).splitlines()}  # e.g. a lone "})"
    hidden = [line.strip() for block in HIDDEN.findall(text) for line in block.splitlines()]
    return [line for line in hidden if line and line not in visible]


def html_text(path: Path) -> str:
    """The feedback page as plain text (tags dropped, entities decoded), as the student reads it."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))
