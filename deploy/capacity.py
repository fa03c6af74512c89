"""Capacity of the course's own JupyterHub: a back-of-envelope estimate with the course's template.

A class of N students (500 by default) on JupyterHub with nbgrader's exchange: how many user
servers run at once, how much memory and CPU they and the hub need, how many machines that is,
how much disk the submissions take, how fast they arrive at a deadline, and how long
autograding one problem set takes. It uses :mod:`sysdesign.estimate` (``connections`` for
servers per machine, ``storage`` for disk, ``traffic`` and ``bandwidth`` for the deadline rush).

Every assumption is a field of :class:`ClassPlan` with its source in :data:`ASSUMPTIONS`.
The measured figures come from ``tests/hub`` and ``benchmarks/bench_hub.py`` on a two-core machine
shared with other jobs. Run ``python deploy/capacity.py [--students N]`` for the Markdown table.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd
from sysdesign import _check
from sysdesign.estimate import bandwidth, connections, storage, traffic
from sysdesign.units import GB, KB, MB, format_count, format_duration, format_rate, format_size

PS01_RELEASE_BYTES = 27e3
"""Size of ps01's released notebook (the student's copy), bytes: 26,945 measured."""


@dataclass(frozen=True)
class ClassPlan:
    """The assumptions of the estimate. Sizes in bytes, times in seconds, CPU in cores.

    ``problem_sets`` lists each problem set's released notebook size (bytes).
    """

    students: float = 500
    problem_sets: tuple[float, ...] = (PS01_RELEASE_BYTES,)
    peak_online_fraction: float = 0.5
    server_memory: float = 300 * MB
    memory_headroom: float = 1.5
    cpu_per_user: float = 0.1
    hub_memory: float = 200 * MB
    hub_memory_per_user: float = 0.5 * MB
    hub_cpu: float = 1.0
    node_memory: float = 64 * GB
    node_reserved_memory: float = 4 * GB
    node_cores: float = 16
    attempts_per_set: float = 2
    autograded_growth: float = 1.6
    feedback_overhead: float = 165 * KB
    autograde_seconds: float = 15
    process_start_seconds: float = 4
    grading_processes: float = 1
    deadline_hour_share: float = 0.5

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "problem_sets":
                if (
                    isinstance(value, (str, bytes))
                    or not hasattr(value, "__iter__")
                    or len(tuple(value)) == 0
                ):
                    raise ValueError(
                        f"problem_sets must be a non-empty sequence of notebook sizes in bytes, got {value!r}"
                    )
                for size in value:
                    _check.number("problem_sets", size, low_open=True)
            elif f.name in ("peak_online_fraction", "deadline_hour_share"):
                _check.number(f.name, value, high=1.0, low_open=True)
            elif f.name in (
                "memory_headroom",
                "autograded_growth",
                "attempts_per_set",
                "grading_processes",
                "students",
            ):
                _check.number(f.name, value, low=1.0)
            elif f.name in (
                "server_memory",
                "cpu_per_user",
                "node_memory",
                "node_cores",
                "autograde_seconds",
            ):
                _check.number(f.name, value, low_open=True)
            else:
                _check.number(f.name, value)
        if self.node_reserved_memory >= self.node_memory:
            raise ValueError(
                f"node_reserved_memory must be less than node_memory ({self.node_memory:g}), "
                f"got {self.node_reserved_memory!r}"
            )


ASSUMPTIONS: dict[str, str] = {
    "students": "the class size",
    "problem_sets": "released notebook size of each problem set, bytes (ps01: 26,945 bytes, measured)",
    "peak_online_fraction": "share of the class with a server running at the busiest hour (a live lab "
    "session or the evening before a deadline); assumed",
    "server_memory": "one student's server plus one kernel that has run a lesson: 150 MB for an idle "
    "jupyterhub-singleuser (mean of 22) and 146-156 MB for the kernel after lessons 03 and 05, measured",
    "memory_headroom": "factor on top of that for a second open notebook and fragmentation; assumed",
    "cpu_per_user": "cores one active student uses on average (mostly reading and typing, with short "
    "bursts when a cell runs); assumed",
    "hub_memory": "JupyterHub plus configurable-http-proxy: 124 MB + 57 MB with four users, measured",
    "hub_memory_per_user": "the hub's memory per known user; assumed",
    "hub_cpu": "cores for the hub and the proxy at a deadline; assumed",
    "node_memory": "memory of one machine for user servers (a common 16-core, 64 GB VM); assumed",
    "node_reserved_memory": "memory kept on each machine for the system and Kubernetes; assumed",
    "node_cores": "cores of one machine; assumed",
    "attempts_per_set": "submissions per student per problem set; the exchange keeps every one; assumed",
    "autograded_growth": "autograded notebook / submitted notebook: 42,352 / 27,907 bytes for ps01, measured",
    "feedback_overhead": "feedback HTML minus the notebook it shows: 192,746 - 27,907 bytes for ps01, "
    "measured "
    "(nbconvert's page style)",
    "autograde_seconds": "seconds to autograde one notebook in a running nbgrader process: 15.1 s "
    "measured by benchmarks/bench_hub.py (10 notebooks, one process) on 2 cores under a load of about 8, "
    "so pessimistic for a dedicated core",
    "process_start_seconds": "start-up of one nbgrader process (imports, gradebook): 19.2 - 15.1 s per "
    "notebook with one process per student, measured by benchmarks/bench_hub.py",
    "grading_processes": "nbgrader processes grading in parallel, each on its own core "
    "(1: one process for the whole class)",
    "deadline_hour_share": "share of a set's submissions that arrive in the last hour before the deadline; "
    "assumed",
}


_SIZES = {
    "server_memory",
    "hub_memory",
    "hub_memory_per_user",
    "node_memory",
    "node_reserved_memory",
    "feedback_overhead",
}


@dataclass(frozen=True)
class Capacity:
    """The estimate. Bytes, bytes per second, seconds, cores, counts."""

    concurrent_servers: float
    users_per_node: int
    nodes: int
    user_memory: float
    hub_memory: float
    cores: float
    submission_storage_per_set: list[float]
    submission_storage_total: float
    peak_submissions_per_second: float
    peak_upload: float
    autograde_one_process: list[float]
    autograde_process_per_student: list[float]


def users_per_node(plan: ClassPlan) -> int:
    """How many student servers one machine holds: the tighter of its memory and its cores.

    >>> users_per_node(ClassPlan())   # min(60 GB / 450 MB, 16 / 0.1) = min(133.3, 160)
    133
    """
    by_memory = (plan.node_memory - plan.node_reserved_memory) / (plan.server_memory * plan.memory_headroom)
    by_cpu = plan.node_cores / plan.cpu_per_user
    count = math.floor(min(by_memory, by_cpu) + 1e-9)
    if count < 1:
        raise ValueError(
            f"node_memory ({plan.node_memory:g} B) and node_cores ({plan.node_cores:g}) must hold "
            "at least one "
            f"student server ({plan.server_memory * plan.memory_headroom:g} B, {plan.cpu_per_user:g} cores)"
        )
    return int(count)


def submission_bytes(plan: ClassPlan, release_bytes: float) -> float:
    """Disk used by one student's submissions of one problem set, every copy nbgrader keeps.

    Each attempt: the exchange's inbound copy and the student's cache (2 copies). The newest one:
    the instructor's submitted/ and autograded/ copies, and the feedback HTML three times (the
    instructor's feedback/, the exchange and the student's home). A filled-in notebook is taken
    to be the size of the release.

    >>> round(submission_bytes(ClassPlan(), 27e3))   # 2*2*27k + 27k + 43.2k + 3*(165k + 27k)
    754200
    """
    size = _check.number("release_bytes", release_bytes, low_open=True)
    attempts = plan.attempts_per_set * 2 * size
    graded = size + size * plan.autograded_growth
    feedback = 3 * (plan.feedback_overhead + size)
    return attempts + graded + feedback


def estimate_class(plan: ClassPlan | None = None) -> Capacity:
    """Every figure for a class, from :class:`ClassPlan`'s assumptions.

    >>> c = estimate_class(ClassPlan(students=500))
    >>> c.concurrent_servers, c.nodes
    (250.0, 2)
    """
    plan = plan or ClassPlan()
    per_node = users_per_node(plan)
    held = connections(plan.students, plan.peak_online_fraction, per_node)
    user_memory = held.concurrent * plan.server_memory * plan.memory_headroom
    hub_memory = plan.hub_memory + plan.students * plan.hub_memory_per_user
    cores = held.concurrent * plan.cpu_per_user + plan.hub_cpu
    per_set = [storage(plan.students, submission_bytes(plan, size)).total for size in plan.problem_sets]
    # The deadline rush: a set's submissions in one day, `deadline_hour_share` of them in its last hour.
    peak_factor = max(1.0, plan.deadline_hour_share * 24)
    rush = traffic(per_day=plan.students * plan.attempts_per_set, peak_factor=peak_factor)
    largest = max(plan.problem_sets)
    upload = bandwidth(plan.students * plan.attempts_per_set * largest).ingress * peak_factor
    rounds = math.ceil(plan.students / plan.grading_processes)
    one_process = [plan.process_start_seconds + rounds * plan.autograde_seconds for _ in plan.problem_sets]
    per_student = [
        plan.students * (plan.process_start_seconds + plan.autograde_seconds) / plan.grading_processes
        for _ in plan.problem_sets
    ]
    return Capacity(
        concurrent_servers=held.concurrent,
        users_per_node=per_node,
        nodes=held.servers,
        user_memory=user_memory,
        hub_memory=hub_memory,
        cores=cores,
        submission_storage_per_set=per_set,
        submission_storage_total=sum(per_set),
        peak_submissions_per_second=rush.peak_qps,
        peak_upload=upload,
        autograde_one_process=one_process,
        autograde_process_per_student=per_student,
    )


def table(plan: ClassPlan | None = None, names: list[str] | None = None) -> pd.DataFrame:
    """The estimate as rows of (quantity, value, readable, how it is computed).

    ``names`` labels the problem sets (default ``ps1``, ``ps2``, ...).
    """
    plan = plan or ClassPlan()
    c = estimate_class(plan)
    names = names or [f"ps{i + 1}" for i in range(len(plan.problem_sets))]
    if len(names) != len(plan.problem_sets):
        raise ValueError(
            f"names must label each of the {len(plan.problem_sets)} problem sets, got {len(names)}"
        )
    n = format_count(plan.students)
    planned = plan.server_memory * plan.memory_headroom
    rows: list[tuple[str, float, str, str]] = [
        ("students", plan.students, n, "the class"),
        (
            "servers running at the peak",
            c.concurrent_servers,
            format_count(c.concurrent_servers),
            f"{n} x {plan.peak_online_fraction:g} online",
        ),
        (
            "memory per student server",
            planned,
            format_size(planned),
            f"{format_size(plan.server_memory)} measured x {plan.memory_headroom:g} headroom",
        ),
        (
            "memory for student servers",
            c.user_memory,
            format_size(c.user_memory),
            "servers x memory per server",
        ),
        (
            "memory for the hub and proxy",
            c.hub_memory,
            format_size(c.hub_memory),
            f"{format_size(plan.hub_memory)} + {format_size(plan.hub_memory_per_user)} per student",
        ),
        (
            "memory in all",
            c.user_memory + c.hub_memory,
            format_size(c.user_memory + c.hub_memory),
            "student servers + hub",
        ),
        (
            "CPU cores",
            c.cores,
            f"{c.cores:.3g} cores",
            f"servers x {plan.cpu_per_user:g} + {plan.hub_cpu:g} for the hub",
        ),
        (
            "student servers per machine",
            c.users_per_node,
            format_count(c.users_per_node),
            f"min(({format_size(plan.node_memory)} - {format_size(plan.node_reserved_memory)}) / "
            f"{format_size(planned)}, {plan.node_cores:g} cores / {plan.cpu_per_user:g})",
        ),
        (
            "machines for student servers",
            c.nodes,
            format_count(c.nodes),
            "servers / servers per machine, rounded up",
        ),
    ]
    for name, size, stored, one, per_student in zip(
        names,
        plan.problem_sets,
        c.submission_storage_per_set,
        c.autograde_one_process,
        c.autograde_process_per_student,
        strict=True,
    ):
        rows += [
            (
                f"{name}: disk for submissions and feedback",
                stored,
                format_size(stored),
                f"{n} x {format_size(submission_bytes(plan, size))} (release {format_size(size)}, "
                f"{plan.attempts_per_set:g} attempts, every copy)",
            ),
            (
                f"{name}: autograding, one nbgrader run",
                one,
                format_duration(one),
                f"{plan.process_start_seconds:g} s start-up + {n} x {plan.autograde_seconds:g} s, "
                f"over {plan.grading_processes:g} process(es) in parallel",
            ),
            (
                f"{name}: autograding, one process per student",
                per_student,
                format_duration(per_student),
                f"{n} x ({plan.process_start_seconds:g} s start-up + {plan.autograde_seconds:g} s), "
                f"over {plan.grading_processes:g} process(es) in parallel",
            ),
        ]
    rows += [
        (
            "disk for all sets",
            c.submission_storage_total,
            format_size(c.submission_storage_total),
            "sum over the sets",
        ),
        (
            "submissions per second at a deadline",
            c.peak_submissions_per_second,
            f"{c.peak_submissions_per_second:.2g} per second",
            f"{format_count(plan.students * plan.attempts_per_set)} a day, "
            f"{plan.deadline_hour_share:g} of them in the last hour",
        ),
        (
            "upload at a deadline",
            c.peak_upload,
            format_rate(c.peak_upload),
            "submissions per second x notebook size",
        ),
    ]
    return pd.DataFrame(rows, columns=["quantity", "value", "readable", "how"])


def markdown(plan: ClassPlan | None = None, names: list[str] | None = None) -> str:
    """The table as Markdown (quantity | estimate | how), followed by the assumptions."""
    plan = plan or ClassPlan()
    df = table(plan, names)
    lines = ["| Quantity | Estimate | How |", "|---|---|---|"]
    lines += [f"| {r.quantity} | {r.readable} | {r.how} |" for r in df.itertuples()]
    lines += ["", "Assumptions:", ""]
    for f in fields(plan):
        value = getattr(plan, f.name)
        if f.name == "problem_sets":
            shown = ", ".join(format_size(v) for v in value)
        elif f.name in _SIZES:
            shown = format_size(value)
        elif f.name.endswith("_seconds"):
            shown = f"{value:g} s"
        else:
            shown = f"{value:g}"
        lines.append(f"- `{f.name}` = {shown}: {ASSUMPTIONS[f.name]}")
    return "\n".join(lines)


def course_problem_sets(root: Path) -> dict[str, float]:
    """Released notebook bytes of each problem set in a course folder (``exercises/<set>/*.ipynb``).

    >>> course_problem_sets(Path("/nonexistent"))
    {}
    """
    found = {}
    folder = Path(root) / "exercises"
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            sizes = [p.stat().st_size for p in path.glob("*.ipynb")] if path.is_dir() else []
            if sizes:
                found[path.name] = float(sum(sizes))
    return found


def main(argv: list[str] | None = None) -> int:
    """``python deploy/capacity.py [--students N]``: print the Markdown table."""
    parser = argparse.ArgumentParser(prog="python deploy/capacity.py", description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=float, default=500, help="class size (default 500)")
    parser.add_argument("--online", type=float, default=0.5, help="share online at the peak (default 0.5)")
    parser.add_argument(
        "--grading-processes",
        type=float,
        default=1,
        help="nbgrader processes grading in parallel (default 1)",
    )
    parser.add_argument(
        "--course",
        type=Path,
        default=Path(__file__).resolve().parents[1],
        help="course folder whose exercises/ gives the problem sets' sizes",
    )
    args = parser.parse_args(argv)
    sets = course_problem_sets(args.course)
    try:
        plan = ClassPlan(
            students=args.students,
            peak_online_fraction=args.online,
            grading_processes=args.grading_processes,
            problem_sets=tuple(sets.values()) or (PS01_RELEASE_BYTES,),
        )
    except (TypeError, ValueError) as exc:
        parser.error(str(exc))
    print(markdown(plan, list(sets) or ["ps01_estimation"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
