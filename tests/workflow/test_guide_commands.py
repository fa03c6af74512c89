"""The README's instructor guide names every class command, and every ``sysdesign`` command it shows
exists with the options it shows (argparse accepts them). Fast: nothing is run."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from sysdesign import cli_class
from sysdesign.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"


def guide() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## For instructors")
    return text[start : text.index("\n## ", start + 1)]


def shown_commands() -> list[str]:
    """Each ``sysdesign ...`` command line of the guide (code spans and code blocks), without comments."""
    text = guide()
    found = re.findall(r"`(sysdesign [^`]+)`", text)
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        found += [
            line.split("  #")[0].strip()
            for line in block.splitlines()
            if line.strip().startswith("sysdesign ")
        ]
    return [re.sub(r"\s+", " ", c) for c in found]


def test_every_class_command_is_in_the_guide():
    commands = {c.split()[1] for c in shown_commands()}
    assert set(cli_class.COMMANDS) <= commands, set(cli_class.COMMANDS) - commands


@pytest.mark.parametrize("line", shown_commands())
def test_each_command_the_guide_shows_parses(line, monkeypatch):
    import argparse

    words = shlex.split(line.replace("[", "").replace("]", ""))[1:]
    seen = {}

    def parse(self, args=None, namespace=None):
        seen["args"] = original(self, args, namespace)
        raise SystemExit(0)

    original = argparse.ArgumentParser.parse_args
    monkeypatch.setattr(argparse.ArgumentParser, "parse_args", parse)
    with pytest.raises(SystemExit) as stop:
        main(words or ["list"])
    assert stop.value.code == 0 and seen["args"].command == words[0]


def test_list_names_the_written_answers_to_grade(capsys):
    assert main(["list"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "What the numbers tell you" in x)
    assert line.split()[-3:] == ["3", "manual:", "answer-design"]  # ps01's Part J, graded by a person
