"""API design: an endpoint model, a parser for one-line endpoints, and a deterministic review.

An :class:`Endpoint` is one REST call or one WebSocket channel; an :class:`Api` is an ordered
collection of them. Endpoints are written on one line each, the way you would sketch them on a
whiteboard::

    METHOD /path[?query] [{request fields}] [-> {response fields}] [events: a.b, c.d] [# purpose]

    POST /api/v1/chats {member_ids, name?} -> {chat_id}  # start a chat
    GET /api/v1/chats/{chat_id}/members?cursor=&limit=100 -> {members, next_cursor}
    WEBSOCKET /ws/v1/connect?token= events: message.new, typing.start  # live updates

:func:`review` checks an API against the rules in :data:`RULES` and returns a list of
:class:`Finding` in a fixed order (endpoint by endpoint, rules in table order, API-wide findings
last), so the same API always gives the same findings. Problem sets grade learners' endpoints
with it, and :func:`supports` checks that an API covers the operations a problem needs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from . import _check
from ._lazy import pd
from .units import SECONDS_PER_DAY

METHODS: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE", "WEBSOCKET")
"""HTTP methods the model knows, plus ``WEBSOCKET`` for a long-lived channel."""

TRANSPORTS: tuple[str, ...] = ("rest", "websocket")
PAGINATIONS: tuple[str | None, ...] = (None, "cursor", "offset")
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")

MAX_PAGE_SIZE = 100
"""Largest page a list endpoint should return in one call (items). Bigger pages make slow, heavy responses."""

MAX_CORE_ENDPOINTS = 5
"""The API phase lasts about five minutes: sketch at most this many endpoints, more is a soft warning."""

CURSOR_PARAMS: tuple[str, ...] = ("cursor", "page_token", "after", "before")
OFFSET_PARAMS: tuple[str, ...] = ("offset", "page", "skip", "start")
LIMIT_PARAMS: tuple[str, ...] = ("limit", "page_size", "per_page", "count", "size")

READ_VERBS: tuple[str, ...] = ("get", "fetch", "list", "retrieve", "load", "show", "view", "find", "query")
"""Words that name a read; as the first word of a path segment they break the nouns-only rule."""

WRITE_VERBS: dict[str, str] = {
    **dict.fromkeys(("create", "add", "insert", "make", "post", "send", "submit"), "POST"),
    **dict.fromkeys(("update", "edit", "modify", "set", "change", "put", "patch", "mark"), "PUT"),
    **dict.fromkeys(("delete", "remove", "destroy", "erase"), "DELETE"),
}
"""Words that name a write, each with the method that should carry it instead."""

STATE_WORDS: tuple[str, ...] = (
    "read",
    "seen",
    "delivered",
    "archive",
    "pin",
    "mute",
    "status",
    "presence",
    "typing",
)
"""Sub-resources that name a state of one item (``PUT /messages/{id}/read``); they need not be plural."""

_PLURAL_NOUNS = ("people", "children", "media", "data", "men", "women", "news", "feedback")
_NOT_NOUNS = ("api", "ws", "me")
_VERSION_RE = re.compile(r"^v\d+(\.\d+)?$", re.IGNORECASE)
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\??$")
_LITERAL_RE = re.compile(r"^[A-Za-z0-9._~-]+$")
_EVENT_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_POLL_PURPOSE_RE = re.compile(
    r"\bpoll\w*|\bevery\s+\d+(\.\d+)?\s*(ms|s|sec|secs|seconds?|minutes?)\b|\bcheck(s|ing)?\s+for\s+new\b",
    re.IGNORECASE,
)
_POLL_SEGMENT_WORDS = ("poll", "new", "latest", "updates", "changes")
_SINCE_PARAMS = ("since", "after", "last_id", "since_id", "updated_after")


# --------------------------------------------------------------------------------------------- model
@dataclass(frozen=True)
class Endpoint:
    """One endpoint: an HTTP call (``transport="rest"``) or a WebSocket channel.

    ``method``: one of :data:`METHODS` (case does not matter; ``WS`` means ``WEBSOCKET``).
    ``path``: starts with ``/``; ``{name}`` marks a path parameter (``:name`` is accepted too).
    ``request``/``response``: field names of the JSON bodies (``media_url?`` marks an optional one).
    ``query``: query-string parameter names. ``pagination`` is ``None``, ``"cursor"`` or
    ``"offset"``; when left ``None`` it is read off the query (``cursor`` -> cursor, ``offset`` or
    ``page`` -> offset); when given, a matching parameter is added if the query has none.
    ``limit``: the default page size in items, or ``None`` when the query has no value for it;
    giving it adds a ``limit`` parameter if the query has none. ``transport`` follows the method.
    ``events``: dotted names (``message.new``) a WebSocket channel carries.

    >>> e = Endpoint("get", "/api/v1/chats/{chat_id}/messages", query=("cursor",), limit=50)
    >>> e.signature, e.pagination, e.query, e.transport
    ('GET /api/v1/chats/{chat_id}/messages', 'cursor', ('cursor', 'limit'), 'rest')
    """

    method: str
    path: str
    purpose: str = ""
    request: tuple[str, ...] = ()
    response: tuple[str, ...] = ()
    query: tuple[str, ...] = ()
    pagination: str | None = None
    limit: int | None = None
    transport: str = ""
    events: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        put = object.__setattr__
        if not isinstance(self.method, str):
            raise TypeError(f"method must be a string such as 'GET', got {self.method!r}")
        method = self.method.strip().upper()
        method = "WEBSOCKET" if method in ("WS", "WSS") else method
        put(self, "method", _check.choice("method", method, METHODS))
        put(self, "path", _normalise_path(self.path))
        if not isinstance(self.purpose, str):
            raise TypeError(f"purpose must be a string, got {self.purpose!r}")
        put(self, "purpose", " ".join(self.purpose.split()))
        for name in ("request", "response", "query"):
            put(self, name, _names(name, getattr(self, name), allow_optional=name != "query"))
        if len(set(self.query)) != len(self.query):
            raise ValueError(f"query lists a parameter twice: {', '.join(self.query)}")
        events = _names(
            "events",
            self.events,
            pattern=_EVENT_RE,
            hint="dotted lower-case names like 'message.new'",
            label="entry",
        )
        put(self, "events", events)
        transport = "websocket" if self.method == "WEBSOCKET" else "rest"
        if self.transport and self.transport != transport:
            raise ValueError(
                f"transport must be {transport!r} for a {self.method} endpoint (it follows the method); "
                f"got {self.transport!r}"
            )
        put(self, "transport", transport)
        if transport == "rest" and self.events:
            raise ValueError(
                f"events belong to a WEBSOCKET endpoint; {self.signature} is a REST call "
                "(give it a response instead)"
            )
        if transport == "websocket" and (self.request or self.response):
            raise ValueError(
                f"a WEBSOCKET endpoint has no request or response body; list the events it carries instead "
                f"({self.signature})"
            )
        cursor_like = [q for q in self.query if q in CURSOR_PARAMS]
        offset_like = [q for q in self.query if q in OFFSET_PARAMS]
        if cursor_like and offset_like:
            raise ValueError(
                f"query mixes a cursor ({cursor_like[0]}) with an offset ({offset_like[0]}); "
                "page with one of them"
            )
        if self.pagination is None:
            put(self, "pagination", "cursor" if cursor_like else "offset" if offset_like else None)
        else:
            kind = _check.choice("pagination", self.pagination, ("cursor", "offset"))
            if (kind == "cursor" and offset_like) or (kind == "offset" and cursor_like):
                raise ValueError(
                    f"pagination={kind!r} but the query pages by {(cursor_like or offset_like)[0]!r}"
                )
            if not (cursor_like or offset_like):
                put(self, "query", (*self.query, kind))
        if self.limit is not None:
            if isinstance(self.limit, bool) or not isinstance(self.limit, int):
                raise TypeError(f"limit must be a whole number of items >= 1 or None, got {self.limit!r}")
            if self.limit < 1:
                raise ValueError(f"limit must be a whole number of items >= 1 or None, got {self.limit!r}")
            if not any(q in LIMIT_PARAMS for q in self.query):
                put(self, "query", (*self.query, "limit"))

    @property
    def signature(self) -> str:
        """``METHOD /path``, the name findings use for this endpoint."""
        return f"{self.method} {self.path}"

    @property
    def literals(self) -> tuple[str, ...]:
        """The path's fixed segments (not ``{parameters}``), in order."""
        return tuple(s for s in self.path.strip("/").split("/") if s and not s.startswith("{"))

    @property
    def has_limit(self) -> bool:
        """Whether the query carries a page-size parameter (``limit``, ``page_size``, ...)."""
        return any(q in LIMIT_PARAMS for q in self.query)

    def line(self) -> str:
        """The endpoint as one line that :func:`parse_endpoint` reads back to an equal endpoint.

        >>> parse_endpoint("get /api/v1/chats?limit=20  # my chats").line()
        'GET /api/v1/chats?limit=20 # my chats'
        """
        text = self.signature
        if self.query:
            parts = []
            for q in self.query:
                value = str(self.limit) if (self.limit is not None and q == self._limit_name()) else ""
                parts.append(f"{q}={value}")
            text += "?" + "&".join(parts)
        if self.request:
            text += " {" + ", ".join(self.request) + "}"
        if self.response:
            text += " -> {" + ", ".join(self.response) + "}"
        if self.events:
            text += " events: " + ", ".join(self.events)
        if self.purpose:
            text += f" # {self.purpose}"
        return text

    def _limit_name(self) -> str | None:
        return next((q for q in self.query if q in LIMIT_PARAMS), None)

    def __str__(self) -> str:
        return self.line()


@dataclass(frozen=True)
class Api:
    """An ordered collection of endpoints; ``name`` labels it in tables.

    >>> api = Api.from_lines("POST /api/v1/chats -> {chat_id}\\nGET /api/v1/chats?cursor=&limit=20")
    >>> len(api), [e.method for e in api]
    (2, ['POST', 'GET'])
    """

    endpoints: tuple[Endpoint, ...]
    name: str = "api"

    def __post_init__(self) -> None:
        items = tuple(self.endpoints)
        for i, item in enumerate(items):
            if not isinstance(item, Endpoint):
                raise TypeError(
                    f"endpoints[{i}] must be an Endpoint (parse a line with parse_endpoint), got {item!r}"
                )
        object.__setattr__(self, "endpoints", items)

    @classmethod
    def from_lines(cls, text: str | Iterable[str], name: str = "api") -> Api:
        """Parse one endpoint per line; blank lines and lines starting with ``#`` are skipped."""
        return parse_api(text, name=name)

    def __iter__(self) -> Iterator[Endpoint]:
        return iter(self.endpoints)

    def __len__(self) -> int:
        return len(self.endpoints)

    def lines(self) -> str:
        """All endpoints, one line each (the text :meth:`from_lines` reads)."""
        return "\n".join(e.line() for e in self.endpoints)

    def table(self) -> pd.DataFrame:
        """One row per endpoint: method, path, transport, pagination, limit, fields, events, purpose."""
        rows = [
            (
                e.method,
                e.path + ("?" + "&".join(e.query) if e.query else ""),
                e.transport,
                e.pagination or "",
                "" if e.limit is None else e.limit,
                ", ".join(e.request),
                ", ".join(e.response),
                ", ".join(e.events),
                e.purpose,
            )
            for e in self.endpoints
        ]
        columns = [
            "method",
            "path",
            "transport",
            "pagination",
            "limit",
            "request",
            "response",
            "events",
            "purpose",
        ]
        return pd.DataFrame(rows, columns=columns)


# -------------------------------------------------------------------------------------------- parser
def parse_endpoint(line: str) -> Endpoint:
    """Read one endpoint written on one line (see the module docstring for the layout).

    The query string keeps parameter names; a number after ``limit=`` (or ``page_size=``,
    ``per_page=``) is the default page size. Body fields may carry a type after a colon
    (``type: "text"|"image"``), which is dropped. Malformed input raises ``ValueError`` naming
    the problem.

    >>> e = parse_endpoint("GET /api/v1/chats/{chat_id}/messages?cursor=&limit=50 -> {messages, next_cursor}")
    >>> e.pagination, e.limit, e.response
    ('cursor', 50, ('messages', 'next_cursor'))
    >>> parse_endpoint("FETCH /api/v1/chats")
    Traceback (most recent call last):
    ...
    ValueError: method must be one of 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'WEBSOCKET'; got 'FETCH'
    """
    if not isinstance(line, str):
        raise TypeError(f"an endpoint line must be a string like 'GET /api/v1/chats', got {line!r}")
    text = line.strip()
    if not text:
        raise ValueError("an endpoint line is empty; write it like 'GET /api/v1/chats'")
    head, _, rest = text.partition(" ")
    rest = rest.strip()
    if not rest or rest.startswith(("#", "{", "->")):
        raise ValueError(f"no path after the method in {text!r}; write it like 'GET /api/v1/chats'")
    target, _, rest = rest.partition(" ")
    method = head.upper()
    method = "WEBSOCKET" if method in ("WS", "WSS") else method
    _check.choice("method", method, METHODS)
    if "#" in target:
        raise ValueError(f"path {target!r} contains '#'; put a space before the '# purpose' comment")
    path, _, query_text = target.partition("?")
    query, limit = _parse_query(query_text) if query_text or target.endswith("?") else ((), None)
    body, purpose = _split_purpose(rest)
    request, body = _take_braces(body, "request")
    response: tuple[str, ...] = ()
    if body.startswith("->"):
        body = body[2:].lstrip()
        if not body.startswith("{"):
            raise ValueError(
                f"'->' must be followed by the response fields in braces, like '-> {{chat_id}}'; got {body!r}"
            )
        response, body = _take_braces(body, "response")
    events: tuple[str, ...] = ()
    if body.lower().startswith("events:"):
        words = [w for w in re.split(r"[,\s]+", body[len("events:") :]) if w]
        if not words:
            raise ValueError("'events:' lists no events; name them like 'events: message.new, typing.start'")
        events, body = tuple(words), ""
    if body:
        raise ValueError(
            f"unexpected text {body!r} after the path; expected '{{request fields}}', "
            "'-> {response fields}', "
            "'events: a.b, c.d' or '# purpose'"
        )
    return Endpoint(method, path, purpose, request, response, query, None, limit, "", events)


def parse_api(text: str | Iterable[str], name: str = "api") -> Api:
    """Parse several endpoints, one per line; errors say which line (counting from 1) is wrong.

    Blank lines and lines starting with ``#`` are skipped.

    >>> parse_api("POST /api/v1/chats\\nGET /api/v1/chats/{chat_id")
    Traceback (most recent call last):
    ...
    ValueError: line 2: path '/api/v1/chats/{chat_id' has a '{' without a matching '}'
    """
    if isinstance(text, str):
        lines = text.splitlines()
    elif isinstance(text, Iterable):
        lines = list(text)
    else:
        raise TypeError(f"endpoints must be text with one endpoint per line, got {text!r}")
    endpoints = []
    for number, line in enumerate(lines, start=1):
        if isinstance(line, Endpoint):
            endpoints.append(line)
            continue
        if not isinstance(line, str):
            raise TypeError(f"line {number}: an endpoint line must be a string, got {line!r}")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            endpoints.append(parse_endpoint(line))
        except (ValueError, TypeError) as exc:
            raise type(exc)(f"line {number}: {exc}") from None
    return Api(tuple(endpoints), name=name)


def _normalise_path(path: object) -> str:
    if not isinstance(path, str):
        raise TypeError(f"path must be a string starting with '/', got {path!r}")
    text = path.strip()
    if not text.startswith("/"):
        raise ValueError(f"path must start with '/', like '/api/v1/chats'; got {path!r}")
    if text.count("{") != text.count("}"):
        brace = "{" if text.count("{") > text.count("}") else "}"
        other = "}" if brace == "{" else "{"
        raise ValueError(f"path {text!r} has a '{brace}' without a matching '{other}'")
    if len(text) > 1:
        text = text.rstrip("/") or "/"
    segments = text.split("/")[1:]
    out = []
    for segment in segments:
        if segment == "" and text != "/":
            raise ValueError(f"path {text!r} has an empty segment ('//')")
        if segment.startswith(":"):
            segment = "{" + segment[1:] + "}"
        if segment.startswith("{") or segment.endswith("}"):
            inner = segment[1:-1] if (segment.startswith("{") and segment.endswith("}")) else None
            if inner is None or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", inner):
                raise ValueError(
                    f"path parameter {segment!r} in {text!r} must be a whole segment with a name, "
                    "like '{chat_id}'"
                )
        elif segment and not _LITERAL_RE.match(segment):
            raise ValueError(
                f"path segment {segment!r} in {text!r} may hold only letters, digits, '-', '_', '.' and '~'"
            )
        out.append(segment)
    return "/" + "/".join(out)


def _names(
    what: str,
    values: object,
    *,
    allow_optional: bool = True,
    pattern: re.Pattern[str] = _NAME_RE,
    hint: str = "names made of letters, digits and '_'",
    label: str = "field",
) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise TypeError(f"{what} must be a tuple of names, got {values!r}")
    out = []
    for value in values:
        if not isinstance(value, str):
            raise TypeError(f"{what} must hold strings, got {value!r}")
        name = value.strip()
        ok = pattern.match(name) and (allow_optional or not name.endswith("?"))
        if not ok:
            raise ValueError(f"{what} {label} {value!r} is not valid; use {hint}")
        out.append(name)
    return tuple(out)


def _parse_query(text: str) -> tuple[tuple[str, ...], int | None]:
    names: list[str] = []
    limit: int | None = None
    if not text:
        raise ValueError("the query after '?' is empty; write it like '?cursor=&limit=50' or drop the '?'")
    for pair in text.split("&"):
        key, eq, value = pair.partition("=")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise ValueError(
                f"query parameter {pair!r} is malformed; write 'name=' or 'name=value' joined by '&'"
            )
        if key in names:
            raise ValueError(f"query parameter {key!r} appears twice")
        names.append(key)
        if key in LIMIT_PARAMS and value and value.lower() not in ("n", "xxx", "..."):
            if not value.isdigit() or int(value) < 1:
                raise ValueError(
                    f"query {key}={value}: give the page size as a whole number >= 1, or leave it empty"
                )
            if limit is not None:
                raise ValueError(
                    f"query gives the page size twice ({', '.join(n for n in names if n in LIMIT_PARAMS)})"
                )
            limit = int(value)
        del eq
    return tuple(names), limit


def _split_purpose(rest: str) -> tuple[str, str]:
    depth = 0
    for i, ch in enumerate(rest):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "#" and depth == 0:
            return rest[:i].strip(), rest[i + 1 :].strip()
    return rest.strip(), ""


def _take_braces(text: str, what: str) -> tuple[tuple[str, ...], str]:
    """Read a ``{a, b: type, c?}`` group at the start of ``text``; return its names and the rest."""
    if not text.startswith("{"):
        return (), text
    depth = 0
    for i, ch in enumerate(text):
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0:
            inner, rest = text[1:i], text[i + 1 :].lstrip()
            break
    else:
        raise ValueError(f"the {what} fields open a '{{' that is never closed: {text!r}")
    fields = []
    for raw in _split_top_level(inner):
        name = raw.split(":", 1)[0].strip()
        if not name:
            continue
        if not _NAME_RE.match(name):
            raise ValueError(
                f"{what} field {name!r} is not a valid name; "
                "use letters, digits and '_' (and '?' for optional)"
            )
        fields.append(name)
    if not fields:
        raise ValueError(
            f"the {what} braces are empty; list field names like '{{chat_id, content}}' or drop them"
        )
    return tuple(fields), rest


def _split_top_level(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "{[(":
            depth += 1
        elif ch in "}])":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


# ------------------------------------------------------------------------------------ the syllabus API
CHAT_EVENTS: dict[str, str] = {
    "message.new": "server -> client: a message arrived in one of your chats",
    "typing.start": "both ways: someone began typing in a chat",
    "message.read": "server -> client: a member has read up to a message",
    "typing.stop": "both ways: they stopped typing",
    "presence.update": "server -> client: a contact came online or went offline",
}
"""The chat channel's events and who sends each; the WebSocket endpoint of :data:`CHAT_API` carries them."""

CHAT_API = Api(
    (
        Endpoint(
            "POST",
            "/api/v1/messages",
            purpose="send a text or image message to a chat",
            request=("chat_id", "content", "type", "media_url?"),
            response=("message_id", "timestamp", "status"),
        ),
        Endpoint(
            "GET",
            "/api/v1/chats/{chat_id}/messages",
            purpose="read a chat's history, newest first, one page at a time",
            query=("cursor", "limit"),
            limit=50,
            response=("messages", "next_cursor", "has_more"),
        ),
        Endpoint(
            "POST",
            "/api/v1/chats",
            purpose="start a one-to-one or group chat",
            request=("type", "member_ids", "name?"),
            response=("chat_id",),
        ),
        Endpoint(
            "PUT",
            "/api/v1/messages/{message_id}/read",
            purpose="mark a message as read (a read receipt)",
            response=("status",),
        ),
        Endpoint(
            "WEBSOCKET",
            "/ws/v1/connect",
            purpose="one open channel per device for live updates",
            query=("token",),
            events=tuple(CHAT_EVENTS),
        ),
    ),
    name="chat",
)
"""The chat system's core API from the course syllabus: four REST calls and one WebSocket channel."""

EXAMPLE_BAD_API = """\
POST /getMessages {chat_id}  # fetch the latest messages of a chat
POST /api/createChat {member_ids} -> {chat_id}
GET /api/v1/chat/{chat_id}/messages?offset=0&limit=500
GET /api/v1/chats/{chat_id}/members
GET /api/v1/messages/new?since=  # poll every 2 seconds for new messages
GET /api/v1/messages {chat_id, content}  # send a message
PUT /api/v1/messages/{message_id}/markRead
WEBSOCKET /ws/v1/connect"""
"""A chat API sketch that breaks most review rules; lessons and explorers start from it."""

CHAT_OPERATIONS: tuple[str, ...] = (
    "send message",
    "list messages",
    "create chat",
    "mark message read",
    "receive message.new",
    "receive message.read",
)
"""What the chat requirements need an API to do, in the vocabulary of :func:`supports`."""


# ------------------------------------------------------------------------------------------- review
@dataclass(frozen=True)
class Rule:
    """One review rule: ``id`` (stable, used by graders), ``severity``, what it checks and why."""

    id: str
    severity: str
    checks: str
    why: str


RULES: tuple[Rule, ...] = (
    Rule(
        "verb-in-path",
        "error",
        "a REST path segment starts with a verb (getMessages, create-chat, markRead)",
        "the method already says what happens; the path names the resource",
    ),
    Rule(
        "no-version",
        "warning",
        "the path has no version segment such as /v1/ (a path that starts with a parameter, "
        "like a short link /{code}, is exempt)",
        "a version lets you change the API later without breaking old clients",
    ),
    Rule(
        "singular-collection",
        "warning",
        "a collection is named in the singular (/chat/{chat_id}, POST /message)",
        "collections read as plural nouns: /chats holds many chats, /chats/{chat_id} is one",
    ),
    Rule(
        "path-case",
        "info",
        "a path segment has capitals or underscores",
        "lower-case words joined by hyphens are the common convention and avoid case mix-ups",
    ),
    Rule(
        "wrong-method",
        "error",
        "the method does not fit the action: GET or DELETE with a body, POST/PUT to read, GET to write",
        "GET must be safe to repeat and cache; proxies may drop a GET body",
    ),
    Rule(
        "offset-pagination",
        "warning",
        "a list endpoint pages with offset/page numbers",
        "items arriving or vanishing while someone pages shift the offsets: repeats and gaps",
    ),
    Rule(
        "no-pagination",
        "warning",
        "a list endpoint has neither a cursor nor an offset",
        "a long list then arrives in one huge response, or the client can never see past page one",
    ),
    Rule(
        "no-limit",
        "warning",
        "a list endpoint has no page-size parameter (limit)",
        "the client cannot ask for a small page and the server cannot cap the work per call",
    ),
    Rule(
        "limit-too-large",
        "warning",
        f"a list endpoint's default page size is above {MAX_PAGE_SIZE}",
        "large pages are slow to build and send, and most of the items are never looked at",
    ),
    Rule(
        "polling",
        "warning",
        "a REST endpoint exists to poll for new events (purpose says poll, or GET .../new?since=)",
        "polling costs a request per client per interval, mostly empty, and delays every event",
    ),
    Rule(
        "websocket-no-events",
        "info",
        "a WebSocket endpoint lists no events",
        "say what flows over the channel, so the interviewer sees which operations are real-time",
    ),
    Rule(
        "duplicate-endpoint",
        "error",
        "two endpoints share the same method and path",
        "a server can route a method and path to only one handler",
    ),
    Rule(
        "too-many-endpoints",
        "info",
        f"more than {MAX_CORE_ENDPOINTS} endpoints",
        "in a five-minute API phase sketch the core calls only; the rest can wait",
    ),
)
"""Every review rule, in the order :func:`review` applies them."""

_RULES = {r.id: r for r in RULES}


@dataclass(frozen=True)
class Finding:
    """A problem :func:`review` found: rule id, severity, endpoint signature (``None`` for the whole API),
    what is wrong and a suggested fix."""

    rule: str
    severity: str
    endpoint: str | None
    message: str
    fix: str


def rules() -> pd.DataFrame:
    """The review rules as a table (rule, severity, checks, why)."""
    return pd.DataFrame(
        [(r.id, r.severity, r.checks, r.why) for r in RULES], columns=["rule", "severity", "checks", "why"]
    )


def review(api: Api | Iterable[Endpoint | str] | str) -> list[Finding]:
    """Check an API against :data:`RULES`; return the findings in a fixed order.

    Endpoints are visited in order and each is checked by the rules in table order; API-wide
    findings (duplicates, too many endpoints) come last. Text or a list of lines is parsed with
    :func:`parse_api` first. An empty list means the API passes every rule.

    >>> review(CHAT_API)
    []
    >>> [f.rule for f in review("POST /getMessages {chat_id}")]
    ['verb-in-path', 'no-version', 'wrong-method']
    """
    api = _as_api(api)
    findings: list[Finding] = []
    for endpoint in api:
        for check in _ENDPOINT_CHECKS:
            findings.extend(check(endpoint))
    findings.extend(_duplicates(api))
    findings.extend(_too_many(api))
    return findings


def findings_table(findings: Iterable[Finding]) -> pd.DataFrame:
    """Findings as a table: rule, severity, endpoint, message, fix (``endpoint`` blank for API-wide ones)."""
    return pd.DataFrame(
        [(f.rule, f.severity, f.endpoint or "(whole API)", f.message, f.fix) for f in findings],
        columns=["rule", "severity", "endpoint", "message", "fix"],
    )


def review_table(api: Api | Iterable[Endpoint | str] | str) -> pd.DataFrame:
    """``findings_table(review(api))``."""
    return findings_table(review(api))


def count_findings(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each severity.

    >>> count_findings(review("GET /api/v1/chats"))
    {'error': 0, 'warning': 2, 'info': 0}
    """
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts


def _as_api(api: object) -> Api:
    if isinstance(api, Api):
        return api
    if isinstance(api, Endpoint):
        return Api((api,))
    if isinstance(api, str) or isinstance(api, Iterable):
        return parse_api(api)  # type: ignore[arg-type]
    raise TypeError(f"api must be an Api, an Endpoint, or endpoint lines, got {api!r}")


def _finding(rule: str, endpoint: Endpoint | None, message: str, fix: str) -> Finding:
    return Finding(rule, _RULES[rule].severity, endpoint.signature if endpoint else None, message, fix)


def _words(segment: str) -> list[str]:
    """Split a path segment into lower-case words: getMessages -> [get, messages]; new-messages too."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", segment)
    return [w.lower() for w in re.split(r"[\s_.~-]+", spaced) if w]


def _is_noun_segment(segment: str) -> bool:
    return (
        segment.lower() not in _NOT_NOUNS and not _VERSION_RE.match(segment) and not segment.startswith("{")
    )


def _looks_plural(segment: str) -> bool:
    words = _words(segment)
    if not words:
        return False
    last = words[-1]
    if last in _PLURAL_NOUNS:
        return True
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


def _plural(word: str) -> str:
    """Naive English plural for suggestions: chat -> chats, reply -> replies, status -> statuses."""
    if _looks_plural(word):
        return word
    if word.endswith("y") and not word.endswith(("ay", "ey", "oy", "uy")):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if _looks_plural(word) and word.endswith("s") and word not in _PLURAL_NOUNS:
        return word[:-1]
    return word


def _path_verb(segment: str) -> str | None:
    words = _words(segment)
    if words and (words[0] in READ_VERBS or words[0] in WRITE_VERBS):
        return words[0]
    return None


def _kebab(words: list[str]) -> str:
    return "-".join(words)


def _is_polling(e: Endpoint) -> bool:
    if e.transport != "rest":
        return False
    if _POLL_PURPOSE_RE.search(e.purpose):
        return True
    last = e.path.rstrip("/").split("/")[-1]
    words = [] if last.startswith("{") else _words(last)
    if words and words[0] == "poll":
        return True
    has_since = any(q in _SINCE_PARAMS for q in e.query)
    return e.method == "GET" and has_since and bool(words) and words[0] in _POLL_SEGMENT_WORDS


def _is_list(e: Endpoint) -> bool:
    """A GET that returns many items: paged, or its last segment is a plural noun (not a verb)."""
    if e.method != "GET" or e.transport != "rest" or _is_polling(e) or e.request or _writes(e):
        return False
    if e.pagination is not None or e.has_limit:
        return True
    last = e.path.rstrip("/").split("/")[-1]
    return bool(last) and _is_noun_segment(last) and _path_verb(last) is None and _looks_plural(last)


def _check_verbs(e: Endpoint) -> list[Finding]:
    if e.transport != "rest":
        return []  # a WebSocket handshake path such as /ws/v1/connect names an action by convention
    out = []
    for segment in e.literals:
        verb = _path_verb(segment)
        if verb is None:
            continue
        rest = _words(segment)[1:]
        method = "GET" if verb in READ_VERBS else WRITE_VERBS[verb]
        noun = _kebab(rest) if rest else "<resource>"
        if verb == "mark" and rest:
            noun = _kebab(rest)  # markRead -> .../read, a state sub-resource
        elif rest and method in ("GET", "POST"):
            noun = _kebab([*rest[:-1], _plural(rest[-1])])
        out.append(
            _finding(
                "verb-in-path",
                e,
                f"segment '{segment}' starts with the verb '{verb}'",
                f"drop the verb and let the method say it: {method} .../{noun}",
            )
        )
    return out


def _check_version(e: Endpoint) -> list[Finding]:
    segments = e.path.strip("/").split("/")
    if any(_VERSION_RE.match(s) for s in segments):
        return []
    if segments[0].startswith("{"):
        return []  # a public link such as GET /{short_code}: it must stay short, and is no API call
    head = segments[0] if segments and segments[0].lower() in ("api", "ws") else None
    suggestion = f"/{head}/v1/" + "/".join(segments[1:]) if head else "/api/v1/" + "/".join(segments)
    return [
        _finding(
            "no-version",
            e,
            "the path carries no version",
            f"put a version in the path: {suggestion.rstrip('/')}",
        )
    ]


def _check_plural(e: Endpoint) -> list[Finding]:
    if e.transport != "rest":
        return []
    segments = e.path.strip("/").split("/")
    out = []
    for i, segment in enumerate(segments):
        if (
            not segment
            or not _is_noun_segment(segment)
            or _path_verb(segment) is not None
            or _looks_plural(segment)
        ):
            continue
        before_param = i + 1 < len(segments) and segments[i + 1].startswith("{")
        words = _words(segment)
        post_target = (
            e.method == "POST"
            and i == len(segments) - 1
            and not (words and words[-1] in STATE_WORDS)
            and not (words and words[0] == "poll")
        )
        if before_param or post_target:
            plural = _kebab([*words[:-1], _plural(words[-1])]) if words else segment
            role = "is followed by an id" if before_param else "is where POST creates items"
            out.append(
                _finding(
                    "singular-collection",
                    e,
                    f"collection '{segment}' {role} but is singular",
                    f"name the collection in the plural: '{plural}'",
                )
            )
    return out


def _check_case(e: Endpoint) -> list[Finding]:
    odd = [s for s in e.literals if (any(c.isupper() for c in s) or "_" in s) and _path_verb(s) is None]
    if not odd:
        return []
    fixed = ", ".join(f"'{s}' -> '{_kebab(_words(s))}'" for s in odd)
    return [
        _finding(
            "path-case",
            e,
            f"segment(s) {', '.join(repr(s) for s in odd)} mix case or use '_'",
            f"write {fixed}",
        )
    ]


def _action_verbs(e: Endpoint) -> list[str]:
    """Verbs that say what the endpoint does: the purpose's first word, then verbs opening path segments."""
    first = _words(e.purpose)[0] if e.purpose.strip() else None
    return [v for v in (first, *(_path_verb(s) for s in e.literals)) if v]


def _writes(e: Endpoint) -> list[str]:
    return [v for v in _action_verbs(e) if v in WRITE_VERBS]


def _check_method(e: Endpoint) -> list[Finding]:
    if e.transport != "rest":
        return []
    out = []
    if e.method in ("GET", "DELETE") and e.request:
        out.append(
            _finding(
                "wrong-method",
                e,
                f"{e.method} carries a request body ({', '.join(e.request)})",
                "move the fields into the path or the query string, or use POST/PUT if it changes data",
            )
        )
    reads = [v for v in _action_verbs(e) if v in READ_VERBS or v == "read"]
    writes = _writes(e)
    if e.method != "GET" and reads and not writes:
        out.append(
            _finding(
                "wrong-method",
                e,
                f"{e.method} is used to read ('{reads[0]}')",
                "reads go through GET, which clients, proxies and caches may repeat safely",
            )
        )
    if e.method == "GET" and writes:
        out.append(
            _finding(
                "wrong-method",
                e,
                f"GET is used to change data ('{writes[0]}')",
                f"use {WRITE_VERBS[writes[0]]}: a GET may be repeated or prefetched at any time",
            )
        )
    return out


def _check_offset(e: Endpoint) -> list[Finding]:
    if not _is_list(e) or e.pagination != "offset":
        return []
    param = next((q for q in e.query if q in OFFSET_PARAMS), "offset")
    return [
        _finding(
            "offset-pagination",
            e,
            f"pages by '{param}' over a list that grows while people read it",
            "page with an opaque cursor (the last item's sort key): ?cursor=&limit=",
        )
    ]


def _check_no_pagination(e: Endpoint) -> list[Finding]:
    if not _is_list(e) or e.pagination is not None:
        return []
    return [
        _finding(
            "no-pagination",
            e,
            "a list endpoint with no way to page",
            "add ?cursor= and return next_cursor, has_more",
        )
    ]


def _check_limit(e: Endpoint) -> list[Finding]:
    if not _is_list(e):
        return []
    if not e.has_limit:
        return [
            _finding(
                "no-limit",
                e,
                "a list endpoint without a page size",
                f"add ?limit= with a default of at most {MAX_PAGE_SIZE}",
            )
        ]
    if e.limit is not None and e.limit > MAX_PAGE_SIZE:
        return [
            _finding(
                "limit-too-large",
                e,
                f"default page size {e.limit} is above {MAX_PAGE_SIZE}",
                f"use a default page of {MAX_PAGE_SIZE} or fewer (50 is common) "
                "and cap what clients may ask for",
            )
        ]
    return []


def _check_polling(e: Endpoint) -> list[Finding]:
    if not _is_polling(e):
        return []
    return [
        _finding(
            "polling",
            e,
            "clients poll this REST endpoint to discover new events",
            "push events over a WebSocket channel (e.g. message.new) and keep REST for history",
        )
    ]


def _check_events(e: Endpoint) -> list[Finding]:
    if e.transport != "websocket" or e.events:
        return []
    return [
        _finding(
            "websocket-no-events",
            e,
            "the channel lists no events",
            "list them: events: message.new, typing.start, ...",
        )
    ]


_ENDPOINT_CHECKS = (
    _check_verbs,
    _check_version,
    _check_plural,
    _check_case,
    _check_method,
    _check_offset,
    _check_no_pagination,
    _check_limit,
    _check_polling,
    _check_events,
)


def _duplicates(api: Api) -> list[Finding]:
    seen: set[str] = set()
    out = []
    for e in api:
        if e.signature in seen:
            out.append(
                _finding(
                    "duplicate-endpoint",
                    e,
                    f"{e.signature} is defined more than once",
                    "merge them into one endpoint",
                )
            )
        seen.add(e.signature)
    return out


def _too_many(api: Api) -> list[Finding]:
    if len(api) <= MAX_CORE_ENDPOINTS:
        return []
    return [
        _finding(
            "too-many-endpoints",
            None,
            f"{len(api)} endpoints; the API phase has room for about {MAX_CORE_ENDPOINTS}",
            "keep the core calls the requirements need and mention the rest in one sentence",
        )
    ]


# ---------------------------------------------------------------------------------------- operations
OPERATION_VERBS: dict[str, str] = {
    **dict.fromkeys(("create", "send", "add", "post", "upload"), "create"),
    **dict.fromkeys(("list", "browse", "page"), "list"),
    **dict.fromkeys(("get", "read", "view", "fetch"), "get"),
    **dict.fromkeys(("update", "edit"), "update"),
    **dict.fromkeys(("delete", "remove"), "delete"),
    "mark": "mark",
    **dict.fromkeys(("receive", "push", "subscribe"), "receive"),
}
"""The first word of an operation and what it requires (see :func:`supports`)."""


@dataclass(frozen=True)
class _Need:
    kind: str
    noun: str
    state: str = ""


def _parse_operation(operation: str) -> _Need:
    if not isinstance(operation, str):
        raise TypeError(f"an operation must be a string like 'send message', got {operation!r}")
    words = operation.lower().split()
    if len(words) < 2 or words[0] not in OPERATION_VERBS:
        raise ValueError(
            f"operation {operation!r} must be a verb and a noun, like 'send message'; "
            f"verbs: {', '.join(OPERATION_VERBS)}"
        )
    kind = OPERATION_VERBS[words[0]]
    if kind == "mark":
        if len(words) < 3:
            raise ValueError(
                f"operation {operation!r}: write 'mark <noun> <state>', like 'mark message read'"
            )
        return _Need(kind, "-".join(words[1:-1]), words[-1])
    noun = "-".join(words[1:])
    if kind == "receive" and "." in noun and not _EVENT_RE.match(noun):
        raise ValueError(
            f"operation {operation!r}: an event must be a dotted lower-case name like 'message.new'"
        )
    return _Need(kind, noun)


def _same_noun(segment: str, noun: str) -> bool:
    return _kebab(_words(segment)) == _kebab(_words(noun))


def _satisfies(e: Endpoint, need: _Need) -> bool:
    if need.kind == "receive":
        if e.transport != "websocket":
            return False
        if "." in need.noun:
            return need.noun in e.events
        prefix = _singular(need.noun.replace("-", "_"))
        return any(ev.split(".")[0] in (prefix, need.noun.replace("-", "_")) for ev in e.events)
    if e.transport != "rest":
        return False
    segments = e.path.strip("/").split("/")
    plural = _plural(need.noun)
    last = segments[-1]
    if need.kind in ("create", "list"):
        method = "POST" if need.kind == "create" else "GET"
        return e.method == method and not last.startswith("{") and _same_noun(last, plural)
    if need.kind == "mark":
        return (
            e.method in ("PUT", "PATCH", "POST")
            and len(segments) >= 3
            and _same_noun(last, need.state)
            and segments[-2].startswith("{")
            and _same_noun(segments[-3], plural)
        )
    methods = {"get": ("GET",), "update": ("PUT", "PATCH"), "delete": ("DELETE",)}[need.kind]
    return (
        e.method in methods
        and len(segments) >= 2
        and last.startswith("{")
        and _same_noun(segments[-2], plural)
    )


def supports(
    api: Api | Iterable[Endpoint | str] | str, operations: Iterable[str]
) -> dict[str, Endpoint | None]:
    """For each operation, the first endpoint that provides it, or ``None`` when none does.

    An operation is a verb and a noun (case does not matter):

    * ``create|send|add|post|upload X``: POST on a collection named plural X
      (``send message`` -> ``POST .../messages``)
    * ``list|browse|page X``: GET on that collection (``list messages`` -> ``GET .../messages``)
    * ``get|read|view|fetch X``: GET on one item (``GET .../messages/{message_id}``)
    * ``update|edit X``: PUT or PATCH on one item; ``delete|remove X``: DELETE on one item
    * ``mark X STATE``: PUT, PATCH or POST on a state of one item
      (``mark message read`` -> ``PUT .../messages/{id}/read``)
    * ``receive|push|subscribe X``: a WebSocket endpoint with an event about X
      (``receive typing`` -> ``typing.*``), or exactly that event when X is dotted (``receive message.new``)

    Several words make one hyphenated noun: ``create read receipt`` -> ``POST .../read-receipts``.

    >>> found = supports(CHAT_API, ["send message", "receive typing", "delete chat"])
    >>> [e.signature if e else None for e in found.values()]
    ['POST /api/v1/messages', 'WEBSOCKET /ws/v1/connect', None]
    """
    api = _as_api(api)
    if isinstance(operations, str):
        operations = [operations]
    needs = [(op, _parse_operation(op)) for op in operations]
    return {op: next((e for e in api if _satisfies(e, need)), None) for op, need in needs}


def missing_operations(api: Api | Iterable[Endpoint | str] | str, operations: Iterable[str]) -> list[str]:
    """The operations no endpoint of ``api`` provides, in the order given.

    >>> missing_operations(CHAT_API, CHAT_OPERATIONS)
    []
    """
    return [op for op, e in supports(api, operations).items() if e is None]


# --------------------------------------------------------------------------------------- conventions
def methods() -> pd.DataFrame:
    """The HTTP methods an API sketch uses: what each is for, whether safe and idempotent, body or not."""
    rows = [
        ("GET", "read one item or a page of a collection", True, True, "no"),
        ("POST", "create an item in a collection (the server picks its id)", False, False, "yes"),
        ("PUT", "replace an item, or set a state such as .../read", False, True, "yes or none"),
        ("PATCH", "change some fields of an item", False, False, "yes"),
        ("DELETE", "remove an item", False, True, "no"),
    ]
    return pd.DataFrame(rows, columns=["method", "use", "safe", "idempotent", "request body"])


def status_codes() -> pd.DataFrame:
    """The HTTP status codes worth naming in an interview, with when to return each."""
    rows = [
        (200, "OK", "a read or update worked; the body has the result"),
        (201, "Created", "POST made a new item; return its id"),
        (204, "No Content", "it worked and there is nothing to send back"),
        (400, "Bad Request", "the request is malformed or fails validation"),
        (401, "Unauthorized", "no valid credentials came with it"),
        (403, "Forbidden", "known caller, but not allowed (not a member of that chat)"),
        (404, "Not Found", "no such item"),
        (409, "Conflict", "clashes with the current state (a duplicate client message id)"),
        (429, "Too Many Requests", "rate limited; retry after the time the server gives"),
        (500, "Internal Server Error", "the server failed; the client may retry"),
        (503, "Service Unavailable", "overloaded or down for now; retry with backoff"),
    ]
    return pd.DataFrame(rows, columns=["code", "name", "when"])


@dataclass(frozen=True)
class PollingCost:
    """Clients asking "anything new?" every ``interval_s`` seconds, against a server that pushes.

    ``requests_per_s``: polls the servers answer per second; ``pushes_per_s``: messages a push
    channel would send per second instead; ``useful_fraction``: share of polls that find at
    least one message; ``mean_delay_s``: average wait between a message arriving and the client
    seeing it (half the interval; a push delivers at once).
    """

    online: float
    interval_s: float
    requests_per_s: float
    pushes_per_s: float
    useful_fraction: float
    mean_delay_s: float


def polling_cost(
    online: float, interval_s: float, received_per_user_per_day: float, *, users: float
) -> PollingCost:
    """The load of polling for new messages instead of pushing them.

    ``online``: clients connected at once (> 0); ``interval_s``: seconds between polls of one client;
    ``received_per_user_per_day``: messages an average user receives a day; ``users``: the daily active
    users who receive them (>= ``online``). A push channel delivers every received message once:
    ``users * received_per_user_per_day / 86,400`` a second on average (multiply by the peak factor
    for the busiest hour). Those deliveries go to the clients online at the time, so one online
    client receives ``pushes_per_s / online`` a second; with arrivals taken as random (Poisson), a
    poll finds something with probability ``1 - exp(-that rate * interval)``.

    The chat estimate: 50 M users receive 10 x 5 = 50 messages a day, 15 M are online at once, each
    polls every 5 s. Deliveries are 50 M x 50 / 86,400 = 28,935 a second (86,806 at a 3x peak):

    >>> cost = polling_cost(15e6, 5, 50, users=50e6)
    >>> round(cost.requests_per_s), round(cost.pushes_per_s), round(cost.useful_fraction, 4)
    (3000000, 28935, 0.0096)
    """
    clients = _check.number("online", online, low=0.0, low_open=True)
    interval = _check.number("interval_s", interval_s, low=0.0, low_open=True)
    per_day = _check.number("received_per_user_per_day", received_per_user_per_day)
    everyone = _check.number("users", users)
    if everyone < clients:
        raise ValueError(f"users must be a number >= online ({clients:,.0f}), got {users!r}")
    deliveries_per_s = everyone * per_day / SECONDS_PER_DAY
    return PollingCost(
        online=clients,
        interval_s=interval,
        requests_per_s=clients / interval,
        pushes_per_s=deliveries_per_s,
        useful_fraction=-math.expm1(-deliveries_per_s / clients * interval),
        mean_delay_s=interval / 2,
    )
