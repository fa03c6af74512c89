"""The interview framework as data: phases and their minutes, what to cover, mistakes, practice problems.

Everything here is plain data (frozen dataclasses in tuples) with small functions that turn it
into pandas tables, plus :class:`PhaseTimer`, a pure stopwatch for practising the six phases.
Minutes are minutes, the timer counts seconds; the timer's clock is injectable so tests and
lessons can drive it by hand with :class:`ManualClock`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from . import _check, estimate, reference
from ._lazy import go, pd
from .estimate import CHAT_APP
from .units import format_count, round_for_speech, say_roughly

# --------------------------------------------------------------------------------------------
# The six phases
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    """One phase of the interview: ``minutes`` (of 45), ``goal``, and what is on the ``board`` after."""

    number: int
    key: str
    name: str
    minutes: int
    goal: str
    board: str
    lesson: str


PHASES: tuple[Phase, ...] = (
    Phase(
        1,
        "requirements",
        "Requirements and scope",
        5,
        "Narrow the deliberately vague prompt down to something you can design; ask, don't assume.",
        "A short list of features and the quality targets (scale, latency, availability, durability).",
        "02_requirements",
    ),
    Phase(
        2,
        "estimation",
        "Back-of-envelope estimation",
        5,
        "Size traffic, storage, bandwidth and connections to the right order of magnitude.",
        "Average and peak QPS, bytes per day and per retention period, server counts.",
        "03_estimation",
    ),
    Phase(
        3,
        "api",
        "API design",
        5,
        "Fix the interface before the internals: a handful of endpoints and the push events.",
        "Three to five endpoints with request and response shapes; what travels over a WebSocket.",
        "04_api_design",
    ),
    Phase(
        4,
        "architecture",
        "High-level architecture",
        15,
        "Draw the main components and follow one request through them from client to storage.",
        "A box-and-arrow diagram and a numbered walk-through of the main request.",
        "05_architecture",
    ),
    Phase(
        5,
        "deep_dive",
        "Deep dive",
        10,
        "Go deep where the interviewer points: schema, sharding, caching, what breaks and how it heals.",
        "A schema or key layout, a shard key with its reason, failure scenarios and recovery.",
        "06_deep_dive",
    ),
    Phase(
        6,
        "wrap_up",
        "Wrap-up and extensions",
        5,
        "Recap the design in a few sentences and name what you would add with more time.",
        "A spoken summary and a short list of extensions.",
        "08_mistakes_and_communication",
    ),
)

PHASE_KEYS: tuple[str, ...] = tuple(p.key for p in PHASES)


def total_minutes(phases: Iterable[Phase] = PHASES) -> int:
    """Length of the whole interview in minutes: the sum of the phase budgets.

    >>> total_minutes()
    45
    """
    return sum(p.minutes for p in phases)


def phase(key: str | int) -> Phase:
    """One phase by key (``"estimation"``) or number (1-6).

    >>> phase("architecture").minutes
    15
    >>> phase(2).name
    'Back-of-envelope estimation'
    """
    if isinstance(key, int) and not isinstance(key, bool):
        _check.number("phase", key, low=1, high=len(PHASES))
        return PHASES[key - 1]
    return PHASES[PHASE_KEYS.index(_check.choice("phase", key, PHASE_KEYS))]


def plan(length_minutes: float = 45) -> pd.DataFrame:
    """The six phases with their budget scaled to an interview of ``length_minutes`` (10-180).

    Columns: ``number``, ``key``, ``phase``, ``minutes``, ``starts_at`` and ``ends_at`` (minutes
    from the start), ``share`` of the interview (0-1), ``goal``, ``board``, ``lesson``. At 45
    minutes the budgets are the framework's own; at other lengths every phase keeps its share.

    >>> plan()["minutes"].tolist()
    [5.0, 5.0, 5.0, 15.0, 10.0, 5.0]
    >>> plan(60)["minutes"].round(2).tolist()
    [6.67, 6.67, 6.67, 20.0, 13.33, 6.67]
    """
    length = _check.number("length_minutes", length_minutes, low=10, high=180)
    scale = length / total_minutes()
    minutes = [p.minutes * scale for p in PHASES]
    ends = [sum(minutes[: i + 1]) for i in range(len(minutes))]
    return pd.DataFrame(
        {
            "number": [p.number for p in PHASES],
            "key": list(PHASE_KEYS),
            "phase": [p.name for p in PHASES],
            "minutes": minutes,
            "starts_at": [0.0, *ends[:-1]],
            "ends_at": ends,
            "share": [m / length for m in minutes],
            "goal": [p.goal for p in PHASES],
            "board": [p.board for p in PHASES],
            "lesson": [p.lesson for p in PHASES],
        }
    )


def phases() -> pd.DataFrame:
    """The six phases of a 45-minute interview as a table (see :func:`plan` for the columns).

    >>> phases()["ends_at"].tolist()
    [5.0, 10.0, 15.0, 30.0, 40.0, 45.0]
    """
    return plan(total_minutes())


PHASE_COLOURS: tuple[str, ...] = ("#4C78A8", "#72B7B2", "#54A24B", "#F58518", "#E45756", "#B279A2")


def phase_figure(length_minutes: float = 45) -> go.Figure:
    """The interview as one horizontal bar cut into its phases, each labelled with its minutes.

    >>> [bar.name for bar in phase_figure().data][:2]
    ['1. Requirements and scope', '2. Back-of-envelope estimation']
    """
    table = plan(length_minutes)
    fig = go.Figure()
    for row, colour in zip(table.itertuples(), PHASE_COLOURS, strict=True):
        fig.add_bar(
            y=["interview"],
            x=[row.minutes],
            base=[row.starts_at],
            orientation="h",
            name=f"{row.number}. {row.phase}",
            marker_color=colour,
            text=[f"{row.minutes:.3g} min"],
            textposition="inside",
            insidetextanchor="middle",
            hovertemplate=f"{row.phase}: minute {row.starts_at:.3g} to {row.ends_at:.3g}<extra></extra>",
        )
    fig.update_layout(
        title=f"A {length_minutes:g}-minute interview, phase by phase",
        barmode="overlay",
        height=260,
        margin=dict(l=20, r=20, t=60, b=40),
        xaxis=dict(title="minutes from the start", range=[0, float(table["ends_at"].iloc[-1])], dtick=5),
        yaxis=dict(visible=False),
        legend=dict(orientation="h", y=-0.45),
    )
    return fig


# --------------------------------------------------------------------------------------------
# What to cover in every practice problem
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageItem:
    """One thing a practice answer must contain; ``minimum`` of them (and at most ``maximum``, if set)."""

    number: int
    key: str
    item: str
    detail: str
    minimum: int = 1
    maximum: int | None = None


COVERAGE: tuple[CoverageItem, ...] = (
    CoverageItem(1, "requirements", "Requirements", "functional features and non-functional targets, both"),
    CoverageItem(2, "estimation", "Estimation", "QPS, storage and bandwidth, rounded for speech"),
    CoverageItem(3, "api", "API", "the core endpoints only", 3, 5),
    CoverageItem(
        4, "architecture", "High-level architecture", "one request traced from client to storage and back"
    ),
    CoverageItem(5, "deep_dive", "Deep dive", "components examined closely (schema, caching, sharding)", 2),
    CoverageItem(6, "tradeoffs", "Tradeoffs", "explicit 'X over Y because..., the cost is...' statements", 3),
    CoverageItem(
        7, "failures", "Failure scenarios", "what breaks, what the user sees, how the system recovers"
    ),
)

COVERAGE_KEYS: tuple[str, ...] = tuple(c.key for c in COVERAGE)


def coverage() -> pd.DataFrame:
    """The seven items to cover for any practice problem, with how many of each to aim for.

    >>> coverage()["item"].tolist()[:3]
    ['Requirements', 'Estimation', 'API']
    """
    return pd.DataFrame(
        [
            (c.number, c.key, c.item, c.detail, c.minimum, c.maximum if c.maximum is not None else math.nan)
            for c in COVERAGE
        ],
        columns=["number", "key", "item", "detail", "at_least", "at_most"],
    )


def coverage_gaps(counts: Mapping[str, int]) -> pd.DataFrame:
    """Compare what a practice answer contains (``counts`` by item key) with the seven items.

    ``counts`` maps keys of :data:`COVERAGE_KEYS` to how many of that item the answer has
    (missing keys count as 0). Returns one row per item: ``have``, ``at_least``, ``at_most``
    and ``ok``; a count above ``at_most`` is not ok either (too many endpoints dilutes the API).

    >>> gaps = coverage_gaps({"requirements": 1, "api": 4, "tradeoffs": 1})
    >>> gaps.loc[~gaps["ok"], "key"].tolist()
    ['estimation', 'architecture', 'deep_dive', 'tradeoffs', 'failures']
    """
    if not isinstance(counts, Mapping):
        raise TypeError(f"counts must be a mapping of item key to count, got {type(counts).__name__}")
    for key, value in counts.items():
        _check.choice("counts key", key, COVERAGE_KEYS)
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"counts[{key!r}] must be a whole number >= 0, got {value!r}")
        _check.number(f"counts[{key!r}]", value)
    table = coverage()
    table["have"] = [int(counts.get(k, 0)) for k in table["key"]]
    too_few = table["have"] < table["at_least"]
    too_many = table["at_most"].notna() & (table["have"] > table["at_most"])
    table["ok"] = ~(too_few | too_many)
    return table[["number", "key", "item", "have", "at_least", "at_most", "ok"]]


# --------------------------------------------------------------------------------------------
# Common mistakes, each with a self-check quiz
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quiz:
    """A design ``snippet``, a ``question`` about it, ``options``, the index of the right one, and why."""

    snippet: str
    question: str
    options: tuple[str, ...]
    answer: int
    explanation: str


@dataclass(frozen=True)
class Mistake:
    """A pattern that sinks interviews: how it ``looks_like`` to the interviewer, and the ``fix``."""

    key: str
    name: str
    looks_like: str
    fix: str
    quiz: Quiz


@dataclass(frozen=True)
class QuizResult:
    """Whether the chosen option is right, the right option's text, and the explanation to show."""

    correct: bool
    chosen: str
    right: str
    explanation: str


_CHAT_TRAFFIC = CHAT_APP.traffic()
_DB = reference.throughput().set_index("component").loc["Relational database server (depends on the query)"]
_APP = reference.throughput().set_index("component").loc["Application server (API)"]
_KAFKA = reference.throughput().set_index("component").loc["Kafka broker"]

MISTAKES: tuple[Mistake, ...] = (
    Mistake(
        "jumping_to_solution",
        "Jumping to the solution",
        "Boxes appear on the board within a minute, before anyone has agreed what the product does; "
        "half the design then answers a question nobody asked.",
        "Open with clarifying questions, write the agreed features and targets down, "
        "then design against that list.",
        Quiz(
            'Interviewer: "Design a photo-sharing service."\n'
            'Candidate, 40 seconds later: "Right: a CDN at the edge, S3 behind it, and Postgres for the '
            'metadata..." (starts drawing)',
            "What should the candidate have done before drawing anything?",
            (
                "Chosen the database first, because storage is the hardest part of photo sharing.",
                "Asked what users do (upload only? feeds? comments?), how many there are and how fast "
                "it must feel, and written the answers down.",
                "Estimated the storage for a billion photos straight away.",
                "Drawn faster, to leave more time for the deep dive.",
            ),
            1,
            "The prompt is vague on purpose: photo sharing could mean a private album or a public feed, and "
            "the two designs differ. A few questions and a written list give you a contract "
            "to design against.",
        ),
    ),
    Mistake(
        "no_estimation",
        "No estimation",
        "Technologies get picked without a single number: a cache with no idea whether the data fits in "
        "memory, one database with no idea of the write rate.",
        "Spend the five minutes on QPS, storage and bandwidth, then point back to those numbers "
        "when you choose.",
        Quiz(
            f"Prompt: {format_count(CHAT_APP.dau)} daily users, each sending {CHAT_APP.per_user_per_day:g} "
            "messages a day.\n"
            'Candidate: "Every message goes into one PostgreSQL primary. '
            'It is reliable and we know it well."',
            "Which number would have shown that this cannot work?",
            (
                "The number of tables in the schema.",
                "The latency of an L1 cache reference.",
                f"The peak write rate: {say_roughly(_CHAT_TRAFFIC.peak_qps, 'writes/s')}, against the "
                f"{_DB['low']:,.0f}-{_DB['high']:,.0f} queries/s one database server handles.",
                "The number of engineers on the team.",
            ),
            2,
            f"{format_count(_CHAT_TRAFFIC.per_day)} messages a day is "
            f"{say_roughly(_CHAT_TRAFFIC.avg_qps)} writes a "
            f"second on average and {say_roughly(_CHAT_TRAFFIC.peak_qps)} at a "
            f"{CHAT_APP.peak_factor:g}x peak: above what one server sustains, so the design needs sharding "
            "or a store that scales writes out.",
        ),
    ),
    Mistake(
        "ignoring_non_functional",
        "Ignoring non-functional requirements",
        "The design works when everything goes right, but crashes, full disks and sudden traffic spikes "
        "never come up.",
        "Ask for the targets (latency, availability, durability) early, and test the design against "
        "failures and a 10x spike before you call it done.",
        Quiz(
            "Candidate traces a login from browser to database, cleanly.\n"
            'Interviewer: "And if the machine holding the session store dies at peak?"\n'
            'Candidate: "That should not really happen."',
            "What is missing from this design?",
            (
                "More endpoints in the API.",
                "A second trace of the same happy path, drawn more neatly.",
                "A switch from REST to GraphQL.",
                "A plan for failure and load: replicas or a fallback for the session store, "
                "what users see while it fails over, and alerts.",
            ),
            3,
            "Availability, durability and latency under stress are what make a design fit for production. "
            "Name what breaks, what the user sees, and how the system recovers.",
        ),
    ),
    Mistake(
        "no_tradeoffs",
        "Not discussing tradeoffs",
        "A technology is named with no reason and no cost, so the interviewer cannot tell whether you "
        "understand the choice or only know the name.",
        "Say it in three parts: I choose X over Y because..., the cost is..., we soften that by...",
        Quiz(
            'Candidate: "I will store messages in DynamoDB."',
            "Which follow-up turns this into a tradeoff?",
            (
                '"Big companies use DynamoDB, so it is a safe pick."',
                '"DynamoDB over PostgreSQL, because writes spread across partitions by chat id; we lose '
                'joins and multi-row transactions, so chat membership stays in PostgreSQL."',
                '"It is fast."',
                '"We can always swap it later if it does not work out."',
            ),
            1,
            "A tradeoff names the alternative, the reason, the price, and how you soften the price. "
            "The other answers name none of these.",
        ),
    ),
    Mistake(
        "over_engineering",
        "Over-engineering",
        "Heavy machinery (service meshes, active-active regions, event sourcing) for a load one or two "
        "servers would carry.",
        "Let the estimate set the complexity: start simple, and add a part only when a number calls for it.",
        Quiz(
            "Prompt: a room-booking tool for one office, peaking at 50 requests a second.\n"
            'Candidate: "Kubernetes in three regions, active-active, event sourcing for every booking, '
            'and a service mesh between the twelve services."',
            "Which design fits the load?",
            (
                "Two stateless app servers behind a load balancer, one database primary with a replica.",
                "The same twelve services, with event sourcing dropped.",
                "Shard the database by room from day one.",
                "Five regions instead of three, to be safe.",
            ),
            0,
            f"One API server handles roughly {_APP['low']:,.0f}-{_APP['high']:,.0f} requests a second, "
            "so 50 a "
            "second fits with room to spare; the second server and the replica are there for failures, "
            "not for load.",
        ),
    ),
    Mistake(
        "silent_design",
        "Silent design",
        "Minutes of silence, then a finished diagram: the interviewer saw the answer but none of the "
        "reasoning they are there to judge.",
        "Think aloud: say what you are weighing and why, even before you have decided.",
        Quiz(
            "The candidate stares at the board for three minutes without a word, then turns round with a "
            "complete diagram.",
            "What would have served the candidate better?",
            (
                'Narrating while thinking: "I am weighing a queue between these two services, because '
                'writes arrive in bursts..."',
                "Asking for ten more minutes of silence.",
                "Drawing the same diagram faster.",
                "Learning more reference diagrams by heart.",
            ),
            0,
            "The interview grades how you reach decisions. Reasoning you say out loud earns credit, and "
            "lets the interviewer steer you before you go too far down a wrong path.",
        ),
    ),
    Mistake(
        "single_points_of_failure",
        "Single points of failure",
        "Some part exists exactly once (one database, one cache, one queue), so when it fails the whole "
        "service stops.",
        "For every box ask 'what if this dies?', then add a replica, a fallback or a failover.",
        Quiz(
            "Design on the board: clients -> one load balancer -> three app servers -> one Redis node "
            "-> one PostgreSQL primary (no replica).",
            "Which parts are single points of failure?",
            (
                "The three app servers.",
                "The clients.",
                "Nothing: three app servers give enough redundancy.",
                "The load balancer, the Redis node and the PostgreSQL primary: each exists once.",
            ),
            3,
            "Three app servers survive the loss of one. Everything that exists once takes the service "
            "down with it: pair the load balancer, give Redis a replica or a fallback to the database, "
            "and give PostgreSQL a standby.",
        ),
    ),
)

MISTAKE_KEYS: tuple[str, ...] = tuple(m.key for m in MISTAKES)


def mistake(key: str) -> Mistake:
    """One common mistake by key (see :data:`MISTAKE_KEYS`).

    >>> mistake("silent_design").name
    'Silent design'
    """
    return MISTAKES[MISTAKE_KEYS.index(_check.choice("mistake", key, MISTAKE_KEYS))]


def mistakes() -> pd.DataFrame:
    """The seven common mistakes: key, name, what it looks like, and the fix.

    >>> len(mistakes())
    7
    """
    return pd.DataFrame(
        [(m.key, m.name, m.looks_like, m.fix) for m in MISTAKES],
        columns=["key", "mistake", "looks_like", "fix"],
    )


def check_answer(key: str, choice: int | str) -> QuizResult:
    """Mark an answer to the quiz of mistake ``key``; ``choice`` is an option index (0-based) or its text.

    >>> check_answer("silent_design", 0).correct
    True
    >>> check_answer("silent_design", 2).correct
    False
    """
    quiz = mistake(key).quiz
    if isinstance(choice, str):
        index = quiz.options.index(_check.choice("choice", choice, quiz.options))
    elif isinstance(choice, int) and not isinstance(choice, bool):
        index = int(_check.number("choice", choice, low=0, high=len(quiz.options) - 1))
    else:
        raise TypeError(
            f"choice must be an option index (0-{len(quiz.options) - 1}) or an option's text, got {choice!r}"
        )
    return QuizResult(
        correct=index == quiz.answer,
        chosen=quiz.options[index],
        right=quiz.options[quiz.answer],
        explanation=quiz.explanation,
    )


# --------------------------------------------------------------------------------------------
# Communication
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tip:
    """A communication habit: what to do, why it helps, and a sentence you could say."""

    key: str
    tip: str
    why: str
    say: str


TIPS: tuple[Tip, ...] = (
    Tip(
        "drive",
        "Lead the way through the phases",
        "You show you own the problem; the interviewer does not have to push you along.",
        '"We have the requirements pinned down; let me spend a few minutes sizing it."',
    ),
    Tip(
        "draw",
        "Draw while you talk",
        "Labelled boxes and arrows are easier to discuss and to challenge than words alone.",
        '"This arrow is the send path: client to WebSocket server, then into the queue."',
    ),
    Tip(
        "check_in",
        "Check in at the milestones",
        "It makes the interview a collaboration and lets the interviewer steer you to what they want to see.",
        '"That is the overall shape. Does it look sensible, and where would you like me to go deeper?"',
    ),
    Tip(
        "uncertainty",
        "Say what you are unsure of, with a range",
        "A bounded guess is more useful than a made-up exact figure, and far better than a shrug.",
        f"\"I don't remember a Kafka broker's exact limit, but it is in the hundreds of thousands of "
        f'messages a second; our peak of {say_roughly(_CHAT_TRAFFIC.peak_qps)} needs only a small cluster."',
    ),
    Tip(
        "assumptions",
        "State your assumptions out loud",
        "A wrong assumption said aloud gets corrected early; a silent one quietly steers the whole design.",
        "\"I'll assume users are spread over several continents, so a CDN and more than one region "
        'are on the table."',
    ),
)


def communication_tips() -> pd.DataFrame:
    """The five communication habits: tip, why it helps, and an example sentence.

    >>> communication_tips()["tip"].iloc[0]
    'Lead the way through the phases'
    """
    return pd.DataFrame([(t.key, t.tip, t.why, t.say) for t in TIPS], columns=["key", "tip", "why", "say"])


# --------------------------------------------------------------------------------------------
# Wrap-up: the spoken summary and the extensions
# --------------------------------------------------------------------------------------------

WRAP_UP_ELEMENTS: tuple[tuple[str, str], ...] = (
    ("problem and scale", "what you built and for how many users, in one breath"),
    ("main parts", "each key component with the one job it does"),
    ("the key requirement", "how the design meets the target that mattered most"),
    ("extensions", "what you would add next, named but not designed"),
)


def wrap_up_elements() -> pd.DataFrame:
    """What a wrap-up recaps, in the order to say it.

    >>> wrap_up_elements()["element"].tolist()[-1]
    'extensions'
    """
    return pd.DataFrame(WRAP_UP_ELEMENTS, columns=["element", "what_to_say"])


def speaking_minutes(text: str, words_per_minute: float = 150) -> float:
    """Minutes it takes to say ``text`` aloud at ``words_per_minute`` (60-300; 150 is a calm pace).

    >>> speaking_minutes("word " * 300)
    2.0
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    pace = _check.number("words_per_minute", words_per_minute, low=60, high=300)
    return len(text.split()) / pace


@dataclass(frozen=True)
class Extension:
    """Something you would add with more time: its name, what it buys, and the first design step."""

    name: str
    gives: str
    first_step: str


EXTENSIONS: tuple[Extension, ...] = (
    Extension(
        "End-to-end encryption",
        "only the people in a chat can read it, not even the servers",
        "keys live on devices (for example with the Signal Protocol); servers relay ciphertext",
    ),
    Extension(
        "Message search",
        "users find old messages by their words",
        "feed messages into an inverted index such as Elasticsearch",
    ),
    Extension(
        "Multi-region deployment",
        "lower latency for users far away, and survival of a lost region",
        "serve each user from the nearest region and replicate chats between regions",
    ),
    Extension(
        "Abuse detection",
        "spam and harmful content get caught and moderated",
        "score messages asynchronously from the queue, with a review tool for moderators",
    ),
    Extension(
        "Retention and GDPR",
        "data is kept only as long as it should be, and can be deleted on request",
        "per-chat retention policies plus a deletion pipeline that reaches backups",
    ),
)


def extensions() -> pd.DataFrame:
    """Typical extensions to name in the wrap-up of the chat design.

    >>> extensions()["extension"].tolist()[0]
    'End-to-end encryption'
    """
    return pd.DataFrame(
        [(e.name, e.gives, e.first_step) for e in EXTENSIONS], columns=["extension", "gives", "first_step"]
    )


@dataclass(frozen=True)
class DesignSummary:
    """What a wrap-up recaps: product, estimate, parts with their jobs, the key guarantee, extensions."""

    product: str
    scenario: estimate.Scenario
    parts: tuple[tuple[str, str], ...]
    guarantee: str
    extensions: tuple[Extension, ...] = EXTENSIONS


CHAT_DESIGN = DesignSummary(
    product="chat service",
    scenario=CHAT_APP,
    parts=(
        ("WebSocket servers", "hold the open connections and push each message the moment it lands"),
        ("Kafka", "makes every message durable and keeps it in order within its chat"),
        ("Cassandra", "stores the history, partitioned by chat id"),
        ("Redis", "caches the latest messages of busy chats and tracks who is online"),
        ("a push service", "wakes up users who are offline through APNs and FCM"),
    ),
    guarantee="no message is lost, because it is persisted before anyone is told it arrived",
)


def spoken_summary(design: DesignSummary = CHAT_DESIGN, *, with_extensions: bool = True) -> str:
    """The wrap-up as you would say it: scale from the design's estimate, each part and its job, extensions.

    >>> spoken_summary(with_extensions=False).split(".")[0]
    'To recap: a chat service for about 50 million daily users, about 17,000 messages a second at peak'
    """
    if not isinstance(design, DesignSummary):
        raise TypeError(f"design must be a DesignSummary, got {type(design).__name__}")
    peak = design.scenario.traffic().peak_qps
    users = format_count(round_for_speech(design.scenario.dau))
    parts = "; ".join(f"{name} {job}" for name, job in design.parts)
    text = (
        f"To recap: a {design.product} for about {users} daily users, {say_roughly(peak)} messages a second "
        f"at peak. {parts[0].upper()}{parts[1:]}. The key guarantee: {design.guarantee}."
    )
    if with_extensions and design.extensions:
        names = "; ".join(e.name[0].lower() + e.name[1:] for e in design.extensions)
        text += f" Given more time, I would cover: {names}."
    return text


# --------------------------------------------------------------------------------------------
# Practice problems
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tier:
    """A difficulty tier and the interview length its problems usually get."""

    key: str
    name: str
    minutes: int


TIERS: tuple[Tier, ...] = (
    Tier("warm-up", "Warm-up", 30),
    Tier("core", "Core", 45),
    Tier("advanced", "Advanced", 60),
)
TIER_KEYS: tuple[str, ...] = tuple(t.key for t in TIERS)


@dataclass(frozen=True)
class Problem:
    """A practice problem: its number in the list, name, well-known examples, tier and what it tests."""

    number: int
    name: str
    examples: str
    tier: str
    focus: tuple[str, ...]
    lesson: str = ""


# The toolbox lessons that teach the techniques each practice problem grades (problem number -> slugs).
TOOLBOX: dict[int, tuple[str, ...]] = {
    1: ("17_unique_ids",),
    2: ("17_unique_ids", "22_media_delivery"),
    3: ("16_coordination",),
    4: ("20_transactions", "15_replication"),
    5: ("15_replication", "17_unique_ids", "19_conflicts"),
    6: ("20_transactions", "21_structures"),
    7: ("19_conflicts", "22_media_delivery"),
    8: ("21_structures",),
    9: ("21_structures",),
    10: ("15_replication", "19_conflicts", "16_coordination"),
    11: ("22_media_delivery",),
    12: ("18_geo_indexing", "16_coordination"),
    13: ("20_transactions", "17_unique_ids"),
    14: ("16_coordination", "15_replication"),
}


PROBLEMS: tuple[Problem, ...] = (
    Problem(
        1,
        "URL shortener",
        "TinyURL",
        "warm-up",
        ("hashing", "database design", "read-heavy scaling"),
        "11_url_shortener",
    ),
    Problem(
        2,
        "Paste bin",
        "Pastebin",
        "warm-up",
        ("object storage", "expiration", "content addressing"),
        "12_paste_bin",
    ),
    Problem(
        3,
        "Rate limiter",
        "",
        "warm-up",
        ("token bucket", "sliding window", "distributed counting"),
        "13_rate_limiter",
    ),
    Problem(
        4,
        "News feed",
        "Facebook, Twitter",
        "core",
        ("fan-out", "ranking", "caching", "real-time updates"),
        "14_news_feed",
    ),
    Problem(
        5,
        "Chat system",
        "WhatsApp, Slack",
        "core",
        ("WebSockets", "message ordering", "presence", "group chat"),
        "10_mock_interview_chat",
    ),
    Problem(
        6, "Notification system", "", "core", ("multiple channels", "templates", "dedup", "priority queues")
    ),
    Problem(
        7,
        "File storage",
        "Dropbox, Google Drive",
        "core",
        ("chunking", "sync", "dedup", "conflict resolution"),
    ),
    Problem(8, "Web crawler", "", "core", ("URL frontier", "politeness", "dedup", "distributed crawling")),
    Problem(
        9, "Search autocomplete", "typeahead", "advanced", ("trie", "ranking", "precomputation", "caching")
    ),
    Problem(
        10,
        "Distributed key-value store",
        "",
        "advanced",
        ("consistent hashing", "replication", "vector clocks"),
    ),
    Problem(
        11,
        "Video streaming",
        "YouTube, Netflix",
        "advanced",
        ("encoding pipeline", "adaptive bitrate", "CDN", "recommendations"),
    ),
    Problem(
        12,
        "Ride sharing",
        "Uber, Lyft",
        "advanced",
        ("geospatial indexing", "matching", "real-time tracking", "surge pricing"),
    ),
    Problem(
        13,
        "Payment system",
        "Stripe",
        "advanced",
        ("idempotency", "distributed transactions", "reconciliation", "PCI compliance"),
    ),
    Problem(
        14,
        "Distributed task scheduler",
        "",
        "advanced",
        ("priority queues", "sharding", "exactly-once execution", "failure recovery"),
    ),
)


def practice_problems(tier: str | None = None) -> pd.DataFrame:
    """The fourteen practice problems (or one tier), one row each, lessons included.

    ``lesson`` names the course notebook that works the problem through, where there is one;
    ``toolbox`` the toolbox lessons that teach the techniques its deep dives grade.

    >>> practice_problems("warm-up")["problem"].tolist()
    ['URL shortener', 'Paste bin', 'Rate limiter']
    """
    if tier is not None:
        _check.choice("tier", tier, TIER_KEYS)
    minutes = {t.key: t.minutes for t in TIERS}
    return pd.DataFrame(
        [
            (
                p.number,
                p.name,
                p.examples,
                p.tier,
                minutes[p.tier],
                ", ".join(p.focus),
                p.lesson,
                ", ".join(TOOLBOX.get(p.number, ())),
            )
            for p in PROBLEMS
            if tier is None or p.tier == tier
        ],
        columns=["number", "problem", "examples", "tier", "minutes", "focus", "lesson", "toolbox"],
    )


def tiers() -> pd.DataFrame:
    """The three tiers: name, minutes per problem, and how many of the practice problems fall in each.

    >>> tiers()["problems"].tolist()
    [3, 5, 6]
    """
    return pd.DataFrame(
        [(t.key, t.name, t.minutes, sum(p.tier == t.key for p in PROBLEMS)) for t in TIERS],
        columns=["key", "tier", "minutes", "problems"],
    )


# --------------------------------------------------------------------------------------------
# The phase timer
# --------------------------------------------------------------------------------------------


class ManualClock:
    """A clock that only moves when told to: call it for the time (seconds), ``advance`` to move it.

    >>> clock = ManualClock()
    >>> clock.advance(90)
    >>> clock()
    90.0
    """

    def __init__(self, start: float = 0.0) -> None:
        self.now = _check.number("start", start)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds`` (>= 0)."""
        self.now += _check.number("seconds", seconds)


def format_clock(seconds: float) -> str:
    """Seconds as ``mm:ss`` (``-mm:ss`` when negative), rounded down to the second.

    >>> format_clock(83.9), format_clock(-61), format_clock(3725), format_clock(-0.4)
    ('01:23', '-01:01', '62:05', '00:00')
    """
    s = _check.number("seconds", seconds, low=-math.inf)
    whole = int(math.floor(abs(s) + 1e-6))  # 199.99999999 s (a scaled budget) reads 03:20, not 03:19
    sign = "-" if s < 0 and whole else ""
    return f"{sign}{whole // 60:02d}:{whole % 60:02d}"


TIMER_STATUSES: tuple[str, ...] = ("ready", "running", "paused", "finished")


class PhaseTimer:
    """A stopwatch for the six phases: time used in each phase against its budget.

    ``length_minutes`` (10-180, default 45) scales the budgets as :func:`plan` does. ``clock`` is a
    callable returning seconds that never go backwards (``time.monotonic`` by default). The timer
    is ``ready`` until :meth:`start`, then ``running`` or ``paused``, and ``finished`` after
    :meth:`next_phase` leaves the last phase. Only running time counts, and it counts towards the
    current phase. A phase overruns when its time used is strictly greater than its budget.
    Calls that do not fit the state (pausing a paused timer, say) raise ``ValueError``.

    >>> clock = ManualClock()
    >>> timer = PhaseTimer(clock=clock)
    >>> timer.start(); clock.advance(6 * 60)
    >>> timer.current.key, timer.elapsed(), timer.is_over("requirements")
    ('requirements', 360.0, True)
    >>> timer.next_phase().key
    'estimation'
    """

    def __init__(self, length_minutes: float = 45, *, clock: Callable[[], float] = time.monotonic) -> None:
        if not callable(clock):
            raise TypeError(f"clock must be a callable returning seconds, like time.monotonic; got {clock!r}")
        self._clock = clock
        self._last_reading = -math.inf
        self.set_length(length_minutes)
        self.reset()

    # state ---------------------------------------------------------------------------------
    def set_length(self, length_minutes: float) -> None:
        """Rescale every phase budget to an interview of ``length_minutes`` (10-180); time used is kept."""
        self.length_minutes = _check.number("length_minutes", length_minutes, low=10, high=180)
        self.budgets = tuple(float(m) * 60.0 for m in plan(self.length_minutes)["minutes"])

    def reset(self) -> None:
        """Back to ``ready`` with no time used."""
        self._used = [0.0] * len(PHASES)
        self._index: int | None = None
        self._since: float | None = None

    @property
    def status(self) -> str:
        """One of ``ready``, ``running``, ``paused``, ``finished``."""
        if self._index is None:
            return "ready"
        if self._index >= len(PHASES):
            return "finished"
        return "running" if self._since is not None else "paused"

    @property
    def current(self) -> Phase | None:
        """The phase time is counting towards (or would, when paused); None when ready or finished."""
        if self._index is None or self._index >= len(PHASES):
            return None
        return PHASES[self._index]

    # actions -------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the first phase. Only from ``ready``."""
        self._require("start", ("ready",))
        self._index, self._since = 0, self._now()

    def pause(self) -> None:
        """Stop counting time. Only while ``running``."""
        self._require("pause", ("running",))
        self._bank()
        self._since = None

    def resume(self) -> None:
        """Count time again, towards the same phase. Only while ``paused``."""
        self._require("resume", ("paused",))
        self._since = self._now()

    def next_phase(self) -> Phase | None:
        """Close the current phase and move to the next (running or paused, as before).

        Returns the new phase, or None when the last phase closed and the timer is ``finished``.
        """
        self._require("next_phase", ("running", "paused"))
        running = self._since is not None
        now = self._bank()
        assert self._index is not None
        self._index += 1
        self._since = now if running and self._index < len(PHASES) else None
        return self.current

    # readings ------------------------------------------------------------------------------
    def elapsed(self, phase: str | int | None = None) -> float:
        """Seconds used so far in ``phase``, a key or number (None: the current phase, or 0 if none)."""
        if phase is None:
            if self.current is None:
                return 0.0
            index = self._index
        else:
            index = _phase_index(phase)
        assert index is not None
        used = self._used[index]
        if index == self._index and self._since is not None:
            used += self._now() - self._since
        return used

    def budget(self, phase: str | int | None = None) -> float:
        """Budget of ``phase`` in seconds (the current phase if None)."""
        if phase is None:
            if self.current is None:
                raise ValueError(
                    f"budget: there is no current phase while the timer is {self.status}; name a phase"
                )
            return self.budgets[self._index]  # type: ignore[index]
        return self.budgets[_phase_index(phase)]

    def total_elapsed(self) -> float:
        """Seconds used across all phases."""
        return sum(self.elapsed(p.key) for p in PHASES)

    def is_over(self, phase: str | int | None = None) -> bool:
        """True when ``phase`` (the current one if None) has used strictly more than its budget."""
        if phase is None and self.current is None:
            return False
        return self.elapsed(phase) > self.budget(phase)

    def overruns(self) -> tuple[str, ...]:
        """Keys of every phase that has used more than its budget."""
        return tuple(p.key for p in PHASES if self.is_over(p.key))

    def warning(self) -> str:
        """A one-line warning when the current phase runs over; an empty string otherwise."""
        current = self.current
        if current is None or not self.is_over():
            return ""
        over = self.elapsed() - self.budget()
        return (
            f"{current.name} is {format_clock(over)} over its {format_clock(self.budget())} budget: "
            f"{_next_step(current)}."
        )

    def state(self) -> pd.DataFrame:
        """One row per phase: ``phase``, ``budget_s``, ``used_s``, ``left_s`` (negative when over),
        ``used_share`` (used / budget), ``over`` and ``status`` (``done``, ``now``, ``to do``)."""
        now = self._now() if self._since is not None else None
        rows = []
        for i, p in enumerate(PHASES):
            used = self._used[i] + (now - self._since if now is not None and i == self._index else 0.0)  # type: ignore[operator]
            budget = self.budgets[i]
            where = (
                "to do" if self._index is None or i > self._index else ("now" if i == self._index else "done")
            )
            rows.append(
                (p.number, p.key, p.name, budget, used, budget - used, used / budget, used > budget, where)
            )
        return pd.DataFrame(
            rows,
            columns=[
                "number",
                "key",
                "phase",
                "budget_s",
                "used_s",
                "left_s",
                "used_share",
                "over",
                "status",
            ],
        )

    def report(self) -> pd.DataFrame:
        """:meth:`state` for people: budget, used and left as ``mm:ss``, used in %, a flag when over."""
        s = self.state()
        return pd.DataFrame(
            {
                "phase": [f"{n}. {name}" for n, name in zip(s["number"], s["phase"], strict=True)],
                "status": s["status"],
                "budget": s["budget_s"].map(format_clock),
                "used": s["used_s"].map(format_clock),
                "left": s["left_s"].map(format_clock),
                "used %": (100 * s["used_share"]).round().astype(int).astype(str) + " %",
                "over": s["over"].map({True: "OVER", False: ""}),
            }
        )

    # helpers -------------------------------------------------------------------------------
    def _now(self) -> float:
        reading = self._clock()
        if isinstance(reading, bool) or not isinstance(reading, (int, float)) or math.isnan(reading):
            raise TypeError(f"clock must return seconds as a number, got {reading!r}")
        if reading < self._last_reading:
            raise ValueError(
                f"clock went backwards ({reading} < {self._last_reading}); use a monotonic clock"
            )
        self._last_reading = float(reading)
        return float(reading)

    def _bank(self) -> float:
        """Add the running stretch to the current phase; return the clock reading used."""
        now = self._now()
        if self._since is not None and self._index is not None:
            self._used[self._index] += now - self._since
        return now

    def _require(self, action: str, allowed: Sequence[str]) -> None:
        if self.status not in allowed:
            raise ValueError(
                f"{action}: the timer is {self.status}; {action} works only when it is {' or '.join(allowed)}"
            )


def _phase_index(which: str | int) -> int:
    return phase(which).number - 1


def _next_step(current: Phase) -> str:
    if current.number < len(PHASES):
        return f"wrap it up and move on to {PHASES[current.number].name.lower()}"
    return "time is up, so finish the summary now"
