"""API design: an endpoint model, a parser for one-line endpoints, and a deterministic review.

An :class:`Endpoint` is one REST call or one WebSocket channel; an :class:`Api` is an ordered
collection of them. Endpoints are written on one line each, the way you would sketch them on a
whiteboard::

    METHOD /path[?query] [Header-Name: value] [{request fields}] [-> {response fields}]
        [events: a.b, c.d] [# purpose]

    POST /api/v1/chats {member_ids, name?} -> {chat_id}  # start a chat
    GET /api/v1/chats/{chat_id}/members?cursor=&limit=100 -> {members, next_cursor}
    POST /v1/charges Idempotency-Key: <key> {amount, currency} -> {charge_id}
    POST /v1/jobs/{job_id}:cancel  # a custom method (Google AIP-136)
    WEBSOCKET /ws/v1/connect?token= events: message.new, typing.start  # live updates

:func:`review` checks an API against the rules in :data:`RULES` and returns a list of
:class:`Finding` in a fixed order (endpoint by endpoint, rules in table order, API-wide findings
last), so the same API always gives the same findings. Only what an interviewer would call wrong
is an ``error`` (or a ``warning``); style is ``info``. :func:`supports` checks that an API covers
the operations a problem needs, reading each noun by meaning through :data:`RESOURCES` (the names
published APIs and books use), and :func:`judge` adds a problem's own requirements (paged lists,
idempotency keys) to the review. Problem sets grade learners' endpoints with :func:`judge`.
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

CURSOR_PARAMS: tuple[str, ...] = (
    "cursor",
    "page_token",  # Google AIP-158 (pageToken in JSON), YouTube
    "next_token",  # Twitter/X API v2 (pagination_token too)
    "pagination_token",
    "continuation_token",
    "starting_after",  # Stripe: an item id, with has_more in the response
    "ending_before",
    "after",  # Slack, Facebook Graph, GraphQL connections
    "before",
    "since_id",  # Twitter/X timelines
    "max_id",
    "until_id",
    "marker",  # OpenStack
    "next_page_token",  # Temporal
    "skip_token",  # Microsoft Graph ($skiptoken)
    "continue",  # Kubernetes list chunking
)
"""Query names of a cursor (an opaque token or the id of the last item seen), as published APIs spell them.

Sources: Google AIP-158 (pagination), Stripe API reference (pagination), Twitter/X API v2
(pagination), Slack Web API (pagination), GitHub REST API (``before``/``after``)."""

OFFSET_PARAMS: tuple[str, ...] = ("offset", "page", "skip", "start", "page_number")
"""Query names of a position counted from the top (works, but shifts when items arrive; GitHub's ``page``)."""

LIMIT_PARAMS: tuple[str, ...] = (
    "limit",  # Stripe, Slack
    "page_size",  # Google AIP-158 (pageSize)
    "per_page",  # GitHub
    "count",  # Twitter/X v1.1
    "max_results",  # Twitter/X v2, YouTube (maxResults)
    "first",  # GraphQL connections (GitHub GraphQL)
    "last",
    "size",
    "top",  # OData $top
    "hits_per_page",  # Algolia
    "k",
)
"""Query names of a page size or a bound on how many items come back."""

READ_VERBS: tuple[str, ...] = ("get", "fetch", "list", "retrieve", "load", "show", "view", "find", "query")
"""Words that name a read; as the first word of a path segment they break the nouns-only rule."""

WRITE_VERBS: dict[str, str] = {
    **dict.fromkeys(("create", "add", "insert", "make", "post", "send", "submit"), "POST"),
    **dict.fromkeys(("update", "edit", "modify", "set", "change", "put", "patch", "mark"), "PUT"),
    **dict.fromkeys(("delete", "remove", "destroy", "erase"), "DELETE"),
}
"""Words that name a write, each with the method that should carry it instead."""

ACTION_VERBS: tuple[str, ...] = (
    "cancel",
    "capture",
    "refund",
    "confirm",
    "void",
    "approve",
    "reject",
    "accept",
    "decline",
    "archive",
    "unarchive",
    "publish",
    "unpublish",
    "pause",
    "resume",
    "retry",
    "run",
    "rerun",
    "start",
    "stop",
    "restart",
    "complete",
    "close",
    "reopen",
    "lock",
    "unlock",
    "shorten",
    "expand",
    "search",
    "undelete",
    "restore",
    "move",
    "copy",
    "rename",
    "share",
    "verify",
    "authorize",
    "expire",
    "revoke",
    "renew",
    "trigger",
    "dispatch",
    "assign",
    "rate",
    "block",
    "unblock",
    "mute",
    "unmute",
    "pin",
    "unpin",
    "follow",
    "unfollow",
    "like",
    "unlike",
    "subscribe",
    "unsubscribe",
    "upload",
    "download",
    "commit",
    "finish",
    "sync",
    "batch",
    "match",
    "pickup",
    "dropoff",
    "arrive",
    "hold",
    "release",
    "reserve",
    "purchase",
    "checkout",
    "deliver",
    "ack",
    "acknowledge",
    "enqueue",
    "dequeue",
    "claim",
    "snooze",
    "merge",
    "watch",
)
"""Verbs that name a custom action on an item or a collection (Google AIP-136 custom methods,
Stripe's ``/capture``, ``/refund``, ``/cancel``): ``POST /jobs/{job_id}/cancel`` or
``POST /jobs/{job_id}:cancel``. They are no nouns, so they are never pluralised."""

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

CURRENT_USER: tuple[str, ...] = ("me", "self", "my", "current")
"""Path words that stand for the caller: ``/me/following``, ``/users/me/bookings`` (Twitter/X, Spotify,
Microsoft Graph ``/me``); GitHub writes ``/user/following`` (singular ``user`` before a literal)."""

UNCOUNTABLE: tuple[str, ...] = (
    "data",
    "media",
    "news",
    "feedback",
    "info",
    "metadata",
    "content",
    "feed",
    "inbox",
    "history",
    "search",
    "analytics",
    "storage",
    "inventory",
    "home",
    "kv",
    "auth",
    "health",
    "status",
    "presence",
    "typing",
    "location",
    "profile",
    "settings",
    "preferences",
    "following",  # GitHub /user/following, Twitter/X /users/:id/following
)
"""Nouns that read fine in the singular as a path segment (``/me/feed``, ``/drivers/{id}/location``)."""

_PLURAL_NOUNS = ("people", "children", "media", "data", "men", "women", "news", "feedback")
_NOT_NOUNS = ("api", "ws", *CURRENT_USER)
_VERSION_RE = re.compile(r"^(v\d+(\.\d+)*(alpha\d*|beta\d*)?|\d+(\.\d+)*|\d{4}-\d{2}-\d{2})$", re.IGNORECASE)
"""A version segment: v1, v1.2, v1beta1, a bare number (Twitter/X /2/, Algolia /1/) or a date (Twilio)."""
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\??$")
_HEADER_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*$")
_LITERAL_RE = re.compile(r"^[A-Za-z0-9._~-]+$")
_EVENT_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_POLL_PURPOSE_RE = re.compile(
    r"\bpoll\w*|\bevery\s+\d+(\.\d+)?\s*(ms|s|sec|secs|seconds?|minutes?)\b|\bcheck(s|ing)?\s+for\s+new\b",
    re.IGNORECASE,
)
_TOP_K_RE = re.compile(r"\b(top|first|best|latest)[\s-]*\d+|\b\d+\s+(most|best|top|latest|newest)\b", re.I)
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
    ``events``: dotted names (``message.new``) a WebSocket channel carries. ``headers``: request
    header names worth showing (``Idempotency-Key``, ``If-Match``).

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
    headers: tuple[str, ...] = ()

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
        headers = _names("headers", self.headers, pattern=_HEADER_RE, hint="names like 'Idempotency-Key'")
        put(self, "headers", headers)
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
        cursor_like = [q for q in self.query if _param_key(q) in CURSOR_PARAMS]
        offset_like = [q for q in self.query if _param_key(q) in OFFSET_PARAMS]
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
            if not any(_param_key(q) in LIMIT_PARAMS for q in self.query):
                put(self, "query", (*self.query, "limit"))

    @property
    def signature(self) -> str:
        """``METHOD /path``, the name findings use for this endpoint."""
        return f"{self.method} {self.path}"

    @property
    def literals(self) -> tuple[str, ...]:
        """The path's fixed segments (not ``{parameters}``; a ``:verb`` custom method counts), in order."""
        return tuple(s.lstrip(":") for s in _parts(self.path) if s and not s.startswith("{"))

    @property
    def has_limit(self) -> bool:
        """Whether the query carries a page-size parameter (``limit``, ``page_size``, ``pageSize``, ...)."""
        return any(_param_key(q) in LIMIT_PARAMS for q in self.query)

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
        for header in self.headers:
            text += f" {header}:"
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
        return next((q for q in self.query if _param_key(q) in LIMIT_PARAMS), None)

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
    headers, body = _take_headers(body)
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
    return Endpoint(method, path, purpose, request, response, query, None, limit, "", events, headers)


def _take_headers(text: str) -> tuple[tuple[str, ...], str]:
    """Read ``Name: [value]`` request headers at the start of ``text`` (``Idempotency-Key: <key>``)."""
    headers: list[str] = []
    while True:
        match = re.match(r"([A-Za-z][A-Za-z0-9-]*):(?=\s|$)\s*", text)
        if not match or match.group(1).lower() == "events":
            return tuple(headers), text
        headers.append(match.group(1))
        text = text[match.end() :]
        while True:  # the value: words up to the body, the response, the next header or the events
            value = re.match(r"(?![{#]|->)[^\s{]+\s*", text)
            if not value or value.group(0).rstrip().endswith(":"):
                break
            text = text[value.end() :]


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
    endpoints: list[Endpoint] = []
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
        segment, colon, verb = segment.partition(":")
        if colon and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", verb):
            raise ValueError(
                f"custom method ':{verb}' in {text!r} must be a word, like '/jobs/{{job_id}}:cancel'"
            )
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
        out.append(segment + (":" + verb if colon else ""))
    return "/" + "/".join(out)


def _parts(path: str) -> list[str]:
    """Path segments, with a custom method (``{job_id}:cancel``) split off as its own ``:cancel`` part."""
    out: list[str] = []
    for segment in path.strip("/").split("/"):
        base, colon, verb = segment.partition(":")
        out.extend([base, ":" + verb] if colon else [base])
    return [p for p in out if p]


def _words(segment: str) -> list[str]:
    """Split a path segment into lower-case words: getMessages -> [get, messages]; new-messages too."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", segment)
    return [w.lower() for w in re.split(r"[\s_.~-]+", spaced) if w]


def _param_key(name: str) -> str:
    """A query name in snake case, so ``pageToken``, ``page-token`` and ``page_token`` compare equal."""
    return "_".join(_words(name))


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
        if _param_key(key) in LIMIT_PARAMS and value and value.lower() not in ("n", "xxx", "..."):
            if not value.isdigit() or int(value) < 1:
                raise ValueError(
                    f"query {key}={value}: give the page size as a whole number >= 1, or leave it empty"
                )
            if limit is not None:
                raise ValueError(
                    "query gives the page size twice "
                    f"({', '.join(n for n in names if _param_key(n) in LIMIT_PARAMS)})"
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
    """One review rule: ``id`` (stable, used by graders), ``severity``, what it checks and why.

    ``error``: an interviewer would call it wrong; ``warning``: a design smell an interviewer would
    push back on; ``info``: style or a note (plural nouns, versions, case, offsets), never a lost point.
    """

    id: str
    severity: str
    checks: str
    why: str


RULES: tuple[Rule, ...] = (
    Rule(
        "verb-in-path",
        "error",
        "a path segment names what the method should say (getMessages, create-chat, /links/delete), "
        "or glues an action to a noun (refundPayment, cancelJob)",
        "the method says what happens and the path names the resource; an action that is no create, "
        "read, update or delete goes on the item: POST /payments/{payment_id}/refund "
        "(Google AIP-136, Stripe)",
    ),
    Rule(
        "no-version",
        "info",
        "the path has no version such as /v1/ (a path that starts with a parameter, "
        "like a short link /{code}, is exempt)",
        "a version (in the path, or a header as Stripe and GitHub do) lets the API change without "
        "breaking old clients",
    ),
    Rule(
        "singular-collection",
        "info",
        "a collection is named in the singular (/chat/{chat_id}, POST /message)",
        "the common convention reads /chats as the collection and /chats/{chat_id} as one chat",
    ),
    Rule(
        "path-case",
        "info",
        "a path segment has capitals or underscores",
        "lower-case words joined by hyphens are common (Google and Stripe use other styles; pick one)",
    ),
    Rule(
        "wrong-method",
        "error",
        "the method does not fit: GET or DELETE with a body, POST to read, "
        "GET to change data or run an action",
        "GET must be safe to repeat and cache; proxies and many clients drop a GET or DELETE body",
    ),
    Rule(
        "no-pagination",
        "error",
        "a list endpoint has no bound: no page size, no cursor, no stated top-k",
        "a long list then arrives in one huge response that grows with the data",
    ),
    Rule(
        "no-next-page",
        "info",
        "a list endpoint returns one bounded page (a limit) but no cursor to the next",
        "right for a top-k answer (ten suggestions); a list clients must read to the end needs a cursor",
    ),
    Rule(
        "offset-pagination",
        "info",
        "a list endpoint pages with an offset or page number",
        "it works (GitHub pages this way), but items arriving while someone pages shift the offsets: "
        "repeats and gaps; a cursor does not",
    ),
    Rule(
        "no-limit",
        "info",
        "a paged list does not say its page size",
        "the client cannot ask for a small page; the server's default applies",
    ),
    Rule(
        "limit-too-large",
        "info",
        f"a list endpoint's default page size is above {MAX_PAGE_SIZE}",
        "large pages are slow to build and send (Stripe and GitHub cap a page at 100)",
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

REQUIREMENT_RULES: tuple[Rule, ...] = (
    Rule(
        "missing-operation",
        "error",
        "no endpoint lets a client do an operation the problem needs",
        "the API phase turns each functional requirement into a call",
    ),
    Rule(
        "list-not-paged",
        "error",
        "a list the problem asks to page through has no cursor, page token or offset",
        "with a limit alone a client sees the first page and never the rest",
    ),
    Rule(
        "no-idempotency-key",
        "error",
        "the call the problem says must be safe to retry carries no idempotency key",
        "a client that times out retries; without a key the server cannot tell a retry from a new "
        "charge (Stripe: Idempotency-Key header; Google AIP-155: request_id)",
    ),
)
"""Rules :func:`judge` adds for one problem: its operations, its lists and its retried calls."""

_RULES = {r.id: r for r in (*RULES, *REQUIREMENT_RULES)}


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
    """The review rules, then the requirement rules of :func:`judge`, as a table.

    Columns: rule, severity, checks, why.
    """
    return pd.DataFrame(
        [(r.id, r.severity, r.checks, r.why) for r in (*RULES, *REQUIREMENT_RULES)],
        columns=["rule", "severity", "checks", "why"],
    )


def review(api: Api | Iterable[Endpoint | str] | str) -> list[Finding]:
    """Check an API against :data:`RULES`; return the findings in a fixed order.

    Endpoints are visited in order and each is checked by the rules in table order; API-wide
    findings (duplicates, too many endpoints) come last. Text or a list of lines is parsed with
    :func:`parse_api` first. An empty list means the API passes every rule.

    >>> review(CHAT_API)
    []
    >>> [(f.rule, f.severity) for f in review("POST /getMessages {chat_id}")]
    [('verb-in-path', 'error'), ('no-version', 'info'), ('wrong-method', 'error')]
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

    >>> count_findings(review("GET /api/chats"))
    {'error': 1, 'warning': 0, 'info': 1}
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


def _is_param(part: str) -> bool:
    return part.startswith("{")


def _is_noun_segment(segment: str) -> bool:
    return (
        segment.lower() not in _NOT_NOUNS
        and not _VERSION_RE.match(segment)
        and not _is_param(segment)
        and not segment.startswith(":")
    )


def _looks_plural(segment: str) -> bool:
    words = _words(segment)
    if not words:
        return False
    last = words[-1]
    if last in _PLURAL_NOUNS:
        return True
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


def _not_countable(word: str) -> bool:
    """A word a path may keep in the singular: uncountable, a gerund (following), a state or an action."""
    return (
        word in UNCOUNTABLE
        or word in STATE_WORDS
        or word in ACTION_VERBS
        or word in READ_VERBS
        or word in WRITE_VERBS
        or (word.endswith("ing") and len(word) > 5 and not _known_noun(word))
        or word.endswith(("ify", "ize", "ise"))
    )


def _plural(word: str) -> str:
    """English plural for suggestions: chat -> chats, reply -> replies; feed and settings stay as they are."""
    if _looks_plural(word) or word in UNCOUNTABLE or (word.endswith("ing") and not _known_noun(word)):
        return word
    if word.endswith("y") and not word.endswith(("ay", "ey", "oy", "uy")):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def _glued_action(segment: str) -> bool:
    """Whether a segment glues an action to a noun (refundPayment, cancel-job); a compound noun is not."""
    words = _words(segment)
    return (
        len(words) > 1
        and words[0] in ACTION_VERBS
        and not _looks_plural(segment)
        and not _not_countable(words[-1])
    )


def _path_verb(segment: str) -> str | None:
    """The CRUD verb a segment opens with (getMessages -> get), or ``None``."""
    words = _words(segment)
    if words and (words[0] in READ_VERBS or words[0] in WRITE_VERBS):
        return words[0]
    return None


def _kebab(words: list[str]) -> str:
    return "-".join(words)


_STANDARD_METHODS = ("get", "list", "create", "update", "delete")
"""Google AIP-131..135: the standard methods a custom method (AIP-136) must not imitate."""
_CREATING_ACTIONS = ("upload", "publish", "register", "record", "reserve", "shorten", "enqueue")
_READ_ACTIONS = ("download", "search", "expand", "export", "watch", "preview", "stream")


def _action(e: Endpoint) -> str | None:
    """The custom action an endpoint runs: a ``:verb`` part, or a verb segment after an item or a collection.

    ``POST /jobs/{job_id}/cancel`` and ``POST /jobs/{job_id}:cancel`` -> ``cancel``;
    ``POST /api/v1/data/shorten`` -> ``shorten``; ``POST /payments/{payment_id}/refunds`` -> ``None``.
    """
    parts = _parts(e.path)
    if not parts or _is_param(parts[-1]):
        return None
    last = parts[-1]
    if last.startswith(":"):
        return _kebab(_words(last[1:])) or None
    words = _words(last)
    if len(words) == 1 and words[0] in ACTION_VERBS and words[0] not in STATE_WORDS and len(parts) > 1:
        return words[0]
    return None


def _is_polling(e: Endpoint) -> bool:
    if e.transport != "rest":
        return False
    if _POLL_PURPOSE_RE.search(e.purpose):
        return True
    last = e.path.rstrip("/").split("/")[-1]
    words = [] if last.startswith("{") else _words(last)
    if words and words[0] == "poll":
        return True
    has_since = any(_param_key(q) in _SINCE_PARAMS for q in e.query)
    return e.method == "GET" and has_since and bool(words) and words[0] in _POLL_SEGMENT_WORDS


_LIST_WORDS = ("feed", "timeline", "inbox", "history", "home")


def _is_list(e: Endpoint) -> bool:
    """A GET that returns many items: paged, or its last segment is a plural noun or a feed."""
    if e.method != "GET" or e.transport != "rest" or _is_polling(e) or e.request or _writes(e):
        return False
    if _action(e) is not None:
        return False
    if e.pagination is not None or e.has_limit:
        return True
    last = _parts(e.path)[-1] if _parts(e.path) else ""
    if not last or not _is_noun_segment(last) or _path_verb(last) is not None:
        return False
    word = _words(last)[-1]
    return (_looks_plural(last) and word not in UNCOUNTABLE) or word in _LIST_WORDS


def _check_verbs(e: Endpoint) -> list[Finding]:
    if e.transport != "rest":
        return []  # a WebSocket handshake path such as /ws/v1/connect names an action by convention
    parts = _parts(e.path)
    out = []
    for i, part in enumerate(parts):
        if _is_param(part):
            continue
        words = _words(part.lstrip(":"))
        if not words:
            continue
        verb, rest = words[0], words[1:]
        standard = verb in READ_VERBS or verb in WRITE_VERBS
        following = parts[i + 1] if i + 1 < len(parts) else ""
        before = next((p for p in reversed(parts[:i]) if _is_noun_segment(p)), None)
        if part.startswith(":"):
            if verb in _STANDARD_METHODS and not rest:
                out.append(
                    _finding(
                        "verb-in-path",
                        e,
                        f"custom method ':{verb}' repeats a standard method",
                        "use the standard method on the resource (Google AIP-136 keeps custom methods "
                        "for actions that are no create, read, update or delete)",
                    )
                )
            continue
        if standard:
            if not rest and _is_param(following):
                continue  # '/post/{post_id}': a singular collection, not the verb 'post'
            method = "GET" if verb in READ_VERBS else WRITE_VERBS[verb]
            if verb == "mark" and rest:
                target = _kebab(rest)  # markRead -> .../read, a state sub-resource
            elif rest:
                target = _kebab([*rest[:-1], _plural(rest[-1])])
            else:
                words_before = _words(before) if before else ["<resource>"]
                target = _kebab([*words_before[:-1], _plural(words_before[-1])])
            if method in ("PUT", "DELETE") and verb != "mark" and not _is_param(following):
                target += "" if _words(target)[-1] in UNCOUNTABLE else "/{id}"
            out.append(
                _finding(
                    "verb-in-path",
                    e,
                    f"segment '{part}' starts with the verb '{verb}'",
                    f"drop the verb and let the method say it: {method} .../{target}",
                )
            )
        elif _glued_action(part):
            noun = _kebab([*rest[:-1], _plural(rest[-1])])
            item = f"{{{'_'.join(rest)}_id}}"
            fix = (
                f"drop the verb and let the method say it: POST .../{noun}"
                if verb in _CREATING_ACTIONS
                else f"name the resource and put the action on the item: POST .../{noun}/{item}/{verb}"
            )
            out.append(
                _finding(
                    "verb-in-path",
                    e,
                    f"segment '{part}' glues the action '{verb}' to the noun '{_kebab(rest)}'",
                    fix,
                )
            )
    return out


def _check_version(e: Endpoint) -> list[Finding]:
    segments = e.path.strip("/").split("/")
    if any(_VERSION_RE.match(s) for s in segments):
        return []
    if segments[0].startswith("{") or (
        len(segments) == 2 and len(segments[0]) <= 2 and _is_param(segments[1])
    ):
        return []  # a public link such as GET /{short_code}: it must stay short, and is no API call
    head = segments[0] if segments and segments[0].lower() in ("api", "ws") else None
    suggestion = f"/{head}/v1/" + "/".join(segments[1:]) if head else "/api/v1/" + "/".join(segments)
    return [
        _finding(
            "no-version",
            e,
            "the path carries no version",
            f"put a version in the path, e.g. {suggestion.rstrip('/')}, or in a header",
        )
    ]


def _check_plural(e: Endpoint) -> list[Finding]:
    if e.transport != "rest":
        return []
    parts = _parts(e.path)
    action = _action(e)
    out = []
    for i, segment in enumerate(parts):
        if (
            not _is_noun_segment(segment)
            or _path_verb(segment) is not None
            or _glued_action(segment)
            or _looks_plural(segment)
        ):
            continue
        words = _words(segment)
        if not words or _not_countable(words[-1]):
            continue
        following = parts[i + 1] if i + 1 < len(parts) else ""
        if words == ["user"] and following and not _is_param(following):
            continue  # GitHub's /user/following: the caller, not a collection
        before_param = _is_param(following)
        post_target = e.method == "POST" and i == len(parts) - 1 and action is None
        if post_target and i >= 1 and _is_param(parts[i - 1]) and not _known_noun(segment):
            continue  # 'POST /jobs/{job_id}/reactivate': most likely an action on the item, not a collection
        if before_param or post_target:
            plural = _kebab([*words[:-1], _plural(words[-1])])
            role = "is followed by an id" if before_param else "is where POST creates items"
            out.append(
                _finding(
                    "singular-collection",
                    e,
                    f"collection '{segment}' {role} but is singular",
                    f"the usual spelling is the plural: '{plural}'",
                )
            )
    return out


def _check_case(e: Endpoint) -> list[Finding]:
    odd = [
        s
        for s in e.literals
        if (any(c.isupper() for c in s) or "_" in s) and _path_verb(s) is None and not _glued_action(s)
    ]
    if not odd:
        return []
    fixed = ", ".join(f"'{s}' -> '{_kebab(_words(s))}'" for s in odd)
    return [
        _finding(
            "path-case",
            e,
            f"segment(s) {', '.join(repr(s) for s in odd)} mix case or use '_'",
            f"the common style is {fixed}",
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
                "move the fields into the path, the query string or a header, "
                "or use POST/PUT if it changes data",
            )
        )
    path_reads = [v for v in (_path_verb(s) for s in e.literals) if v in READ_VERBS]
    first = _words(e.purpose)[0] if e.purpose.strip() else ""
    purpose_reads = [first] if (first in READ_VERBS or first == "read") and not e.request else []
    reads = path_reads + purpose_reads
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
    action = _action(e)
    if e.method == "GET" and action and action not in _READ_ACTIONS and not writes:
        out.append(
            _finding(
                "wrong-method",
                e,
                f"GET runs the action '{action}'",
                f"run it with POST .../{action}: a GET may be repeated or prefetched at any time",
            )
        )
    return out


def _bounded_by_purpose(e: Endpoint) -> bool:
    return bool(_TOP_K_RE.search(e.purpose))


def _check_no_pagination(e: Endpoint) -> list[Finding]:
    if not _is_list(e) or e.pagination is not None or e.has_limit or _bounded_by_purpose(e):
        return []
    return [
        _finding(
            "no-pagination",
            e,
            "a list endpoint with no bound: no page size and no cursor",
            "page it: ?cursor=&limit=50 returning next_cursor (or Stripe's starting_after with has_more, "
            "Google's page_token with next_page_token)",
        )
    ]


def _check_next_page(e: Endpoint) -> list[Finding]:
    if not _is_list(e) or e.pagination is not None or not e.has_limit:
        return []
    return [
        _finding(
            "no-next-page",
            e,
            "returns one bounded page and no cursor to the next",
            "fine for a top-k answer; add ?cursor= (returning next_cursor) if clients must reach every item",
        )
    ]


def _check_offset(e: Endpoint) -> list[Finding]:
    if not _is_list(e) or e.pagination != "offset":
        return []
    param = next((q for q in e.query if _param_key(q) in OFFSET_PARAMS), "offset")
    return [
        _finding(
            "offset-pagination",
            e,
            f"pages by '{param}' over a list that may grow while people read it",
            "an opaque cursor (the last item's sort key) does not shift: ?cursor=&limit=",
        )
    ]


def _check_limit(e: Endpoint) -> list[Finding]:
    if not _is_list(e):
        return []
    if not e.has_limit and e.pagination is not None:
        return [
            _finding(
                "no-limit",
                e,
                "a paged list without a page size",
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
    _check_no_pagination,
    _check_next_page,
    _check_offset,
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


# ---------------------------------------------------------------------------------------- vocabulary
@dataclass(frozen=True)
class Resource:
    """What an operation's noun means: the collection names experts use for it, and its custom actions.

    ``name``: the noun operations use (``link``); ``nouns``: collection names published APIs and books
    use for it, plural (``links``, ``urls``, ``short-urls``...); ``actions``: ``(verb, kind)`` pairs, a
    custom action that does an operation of that kind (``("shorten", "create")``: Bitly's and
    Alex Xu's ``POST .../shorten`` creates a link); ``ranked``: a bounded top-k answer, so a GET on
    the collection with a query reads it (``GET /suggestions?prefix=``); ``sources``: where the names
    come from; ``redirect``: a bare ``GET /{code}`` reads one item (a short link's redirect, a
    paste's share link).
    """

    name: str
    nouns: tuple[str, ...]
    actions: tuple[tuple[str, str], ...] = ()
    ranked: bool = False
    redirect: bool = False
    sources: str = ""

    @property
    def keys(self) -> frozenset[str]:
        """Every spelling a path segment may take for this resource (singular and plural forms)."""
        return frozenset(k for n in (self.name, *self.nouns) for k in _noun_keys(n))


_XU1 = "Alex Xu, System Design Interview vol. 1"
_XU2 = "Alex Xu, System Design Interview vol. 2"
RESOURCES: tuple[Resource, ...] = (
    Resource(
        "link",
        ("links", "urls", "short-urls", "shorturls", "short-links", "shortlinks", "bitlinks", "aliases"),
        (("shorten", "create"),),
        redirect=True,
        sources=f"Bitly API v4 (/shorten, /bitlinks); Rebrandly API (/links); TinyURL API (/alias); "
        f"Firebase Dynamic Links (shortLinks); {_XU1}, ch. 8 (POST api/v1/data/shorten)",
    ),
    Resource(
        "paste",
        ("pastes", "snippets", "gists", "documents", "notes"),
        redirect=True,
        sources="GitHub REST API (gists); GitLab API (snippets); hastebin (POST /documents)",
    ),
    Resource(
        "rule",
        ("rules", "rate-limits", "limits", "quotas", "policies", "rate-limit-rules", "ratelimits"),
        sources=f"Cloudflare API (rate limiting rules); Envoy/Lyft ratelimit (descriptors); "
        f"Google Service Usage (quotas); {_XU1}, ch. 4 (rules)",
    ),
    Resource(
        "message",
        ("messages", "chat-messages", "direct-messages", "dms"),
        sources=f"Slack Web API (chat.postMessage); Twitter/X API v2 (dm_events); Microsoft Graph "
        f"(chatMessage); {_XU1}, ch. 12",
    ),
    Resource(
        "post",
        (
            "posts",
            "tweets",
            "statuses",
            "feed",
            "feeds",
            "timeline",
            "timelines",
            "home",
            "news-feed",
            "newsfeed",
            "feed-items",
            "reverse-chronological",
            "ugc-posts",
            "shares",
            "stories",
            "entries",
        ),
        sources=f"Twitter/X API v2 (POST /2/tweets, timelines/reverse_chronological); Mastodon API "
        f"(statuses, timelines/home); Facebook Graph API (/me/feed); LinkedIn (ugcPosts); {_XU1}, ch. 11 "
        f"(POST and GET /v1/me/feed)",
    ),
    Resource(
        "follow",
        (
            "follows",
            "following",
            "followers",
            "followees",
            "friendships",
            "relationships",
            "subscriptions",
            "connections",
            "friends",
        ),
        (("follow", "create"), ("unfollow", "delete"), ("subscribe", "create"), ("unsubscribe", "delete")),
        sources="GitHub REST API (PUT/DELETE /user/following/{username}); Twitter/X API v2 "
        "(POST /2/users/:id/following); Twitter v1.1 (friendships/create); Instagram (relationships); "
        "YouTube Data API (subscriptions); Mastodon (POST /accounts/:id/follow, /unfollow)",
    ),
    Resource(
        "channel",
        ("channels", "conversations", "chats", "rooms", "groups", "spaces", "threads"),
        sources=f"Slack Web API (conversations.create); Google Chat API (spaces); Discord API "
        f"(channels); Matrix (rooms); {_XU1}, ch. 12",
    ),
    Resource(
        "notification",
        ("notifications", "messages", "alerts", "push-notifications", "deliveries", "emails"),
        (("send", "create"), ("notify", "create"), ("trigger", "create")),
        sources=f"Firebase Cloud Messaging HTTP v1 (messages:send); Twilio (Messages); GitHub REST "
        f"(GET /notifications); Courier and Knock (send, messages); {_XU1}, ch. 10",
    ),
    Resource(
        "template",
        ("templates", "message-templates", "notification-templates", "email-templates"),
        sources="SendGrid API v3 (/templates); Amazon SES (templates); Twilio Content API",
    ),
    Resource(
        "preference",
        (
            "preferences",
            "settings",
            "notification-settings",
            "notification-preferences",
            "subscriptions",
            "opt-outs",
            "unsubscribes",
            "suppressions",
            "prefs",
        ),
        sources="SendGrid (asm/suppressions, unsubscribes); Knock and Courier (preferences); "
        "GitHub (notification subscriptions)",
    ),
    Resource(
        "chunk",
        ("chunks", "blocks", "blobs", "parts", "pieces", "block-hashes"),
        sources=f"{_XU1}, ch. 15 (block servers); Amazon S3 multipart upload (parts); Git (blobs); "
        "Dropbox (block-level sync)",
    ),
    Resource(
        "file",
        ("files", "file-versions", "versions", "revisions", "commits", "entries", "file-metadata", "nodes"),
        (("commit", "create"), ("finish", "create")),
        sources=f"Dropbox API v2 (files/upload, upload_session/finish, list_revisions); Google Drive API "
        f"(files, revisions); {_XU1}, ch. 15",
    ),
    Resource(
        "seed",
        ("seeds", "seed-urls", "start-urls", "urls", "crawls", "crawl-requests", "crawl-jobs", "frontier"),
        sources="Apify API (runs with startUrls); Scrapy/Scrapyd (start_urls, schedule); "
        f"{_XU1}, ch. 9 (seed URLs, URL frontier)",
    ),
    Resource(
        "page",
        ("pages", "documents", "fetches", "crawled-pages", "crawl-results", "results", "web-pages"),
        sources=f"Common Crawl index (captures); {_XU1}, ch. 9 (content storage)",
    ),
    Resource(
        "host",
        ("hosts", "domains", "sites", "origins", "hostnames"),
        sources=f"{_XU1}, ch. 9 (politeness per host); robots.txt (RFC 9309) is per host",
    ),
    Resource(
        "suggestion",
        (
            "suggestions",
            "completions",
            "autocomplete",
            "autocompletions",
            "typeahead",
            "suggest",
            "predictions",
            "query-suggestions",
        ),
        ranked=True,
        sources=f"Google Places API (autocomplete, predictions); Elasticsearch (_suggest, completion "
        f"suggester); Algolia (query suggestions); {_XU1}, ch. 13",
    ),
    Resource(
        "search",
        (
            "searches",
            "queries",
            "search-queries",
            "search-events",
            "search-logs",
            "query-logs",
            "search-history",
        ),
        sources=f"Algolia Insights (events); Google Analytics (search events); {_XU1}, ch. 13 "
        "(analytics logs)",
    ),
    Resource(
        "key",
        ("keys", "kv", "items", "entries", "objects", "values", "records"),
        sources="etcd v2 (/v2/keys/{key}); Consul (/v1/kv/{key}); Riak (/buckets/{b}/keys/{k}); "
        f"Amazon DynamoDB (PutItem, GetItem); {_XU1}, ch. 6 (get(key), put(key, value))",
    ),
    Resource(
        "video",
        ("videos", "uploads", "assets", "media", "titles", "movies"),
        sources=f"YouTube Data API v3 (videos.insert); Mux Video (assets, direct uploads); Vimeo API "
        f"(/me/videos); {_XU1}, ch. 14",
    ),
    Resource(
        "recommendation",
        (
            "recommendations",
            "recommended",
            "recs",
            "for-you",
            "feed",
            "home",
            "home-feed",
            "watch-next",
            "up-next",
            "rows",
        ),
        ranked=True,
        sources="YouTube (home feed, watch next); Netflix (rows of titles); Amazon Personalize "
        "(GetRecommendations)",
    ),
    Resource(
        "ride",
        ("rides", "trips", "bookings", "ride-requests", "requests", "journeys", "orders"),
        sources=f"Uber Riders API (POST /v1.2/requests, GET /v1.2/requests/{{request_id}}); Lyft API "
        f"(/v1/rides, /rides/{{id}}/cancel); {_XU2}, ch. 1-2",
    ),
    Resource(
        "location",
        (
            "locations",
            "positions",
            "pings",
            "location-updates",
            "position-updates",
            "coordinates",
            "heartbeats",
            "gps",
            "telemetry",
        ),
        sources=f"Uber (driver location pings); Google Fleet Engine (vehicle location updates); "
        f"{_XU2}, ch. 2 (location updates over WebSocket)",
    ),
    Resource(
        "payment",
        ("payments", "charges", "payment-intents", "transactions", "payment-requests"),
        (("charge", "create"), ("pay", "create")),
        sources=f"Stripe API (charges, payment_intents, Idempotency-Key); Square API (payments, "
        f"idempotency_key); Adyen (/payments); {_XU2}, ch. 11 (POST /v1/payments)",
    ),
    Resource(
        "refund",
        ("refunds", "reversals"),
        (("refund", "create"),),
        sources="Stripe API (POST /v1/refunds; older /charges/{id}/refund); Adyen "
        "(/payments/{id}/refunds); PayPal (captures/{id}/refund); Square (/v2/refunds)",
    ),
    Resource(
        "job",
        (
            "jobs",
            "tasks",
            "schedules",
            "scheduled-jobs",
            "scheduled-tasks",
            "cron-jobs",
            "cronjobs",
            "workflows",
            "triggers",
            "dags",
        ),
        sources="Google Cloud Scheduler (projects.locations.jobs, :pause, :run); Airflow REST API (dags); "
        "Kubernetes "
        "(batch/v1 cronjobs); Amazon EventBridge Scheduler (schedules); Temporal (schedules)",
    ),
    Resource(
        "run",
        ("runs", "executions", "job-runs", "attempts", "invocations", "history", "run-history", "instances"),
        sources="GitHub Actions (workflow runs); AWS Step Functions and Google Workflows (executions); "
        "Airflow REST API (dagRuns)",
    ),
    Resource(
        "event",
        ("events", "concerts", "shows", "performances", "listings"),
        sources="Ticketmaster Discovery API (/discovery/v2/events); Eventbrite API (events)",
    ),
    Resource(
        "booking",
        ("bookings", "reservations", "orders", "tickets", "holds", "seat-holds", "purchases"),
        sources=f"Ticketmaster Partner API (holds, orders); Eventbrite (orders); Booking.com "
        f"(reservations); {_XU2}, ch. 7 (hotel reservations)",
    ),
)
"""The vocabulary of the practice problems: every collection name an expert might use for each noun.

Built from the published APIs and books each entry's ``sources`` names, not from the model answers."""

_GENERIC_ACTIONS: dict[str, str] = {"cancel": "delete", "void": "delete", "revoke": "delete"}
"""Custom actions that mean the same kind of operation on any resource (Google AIP-136, Stripe)."""

_EVENT_MEANINGS: tuple[frozenset[str], ...] = (
    frozenset(("new", "created", "create", "added", "sent", "posted", "received", "arrived")),
    frozenset(("changed", "change", "updated", "update", "modified", "edited", "synced", "moved")),
    frozenset(("deleted", "delete", "removed", "trashed")),
    frozenset(("read", "seen")),
)
"""Event suffixes that mean the same thing (``message.new`` = ``message.created``)."""

_IDEMPOTENCY_NAMES = ("request_id", "pay_pal_request_id", "paypal_request_id", "client_request_id")


def _forms(word: str) -> set[str]:
    out = {word}
    if word.endswith("ies") and len(word) > 4:
        out.add(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        out.add(word[:-2])
    if word.endswith("s") and len(word) > 2:
        out.add(word[:-1])
    return out


def _noun_keys(segment: str) -> set[str]:
    words = _words(segment)
    if not words:
        return set()
    return {_kebab([*words[:-1], form]) for form in _forms(words[-1])}


def _known_noun(segment: str) -> bool:
    keys = _noun_keys(segment)
    return any(keys & res.keys for res in RESOURCES)


def resource(noun: str) -> Resource:
    """The :class:`Resource` an operation's noun names; a noun the vocabulary lacks stands for itself.

    >>> resource("ride").nouns[:3]
    ('rides', 'trips', 'bookings')
    >>> resource("follower").name, resource("widget").nouns
    ('follow', ('widget', 'widgets'))
    """
    if not isinstance(noun, str) or not _words(noun):
        raise ValueError(f"noun must be a word such as 'link' or 'read receipt', got {noun!r}")
    keys = _noun_keys(noun)
    for res in (*(r for r in RESOURCES if keys & _noun_keys(r.name)), *RESOURCES):
        if keys & res.keys:
            return res
    word = _kebab(_words(noun))
    last = _words(noun)[-1] if _words(noun) else word
    return Resource(word, (word, _kebab([*_words(noun)[:-1], _plural(last)])))


def vocabulary() -> pd.DataFrame:
    """The resource vocabulary as a table: noun, the collection names accepted, actions, sources."""
    rows = [
        (r.name, ", ".join(r.nouns), ", ".join(f"{v} ({k})" for v, k in r.actions), r.sources)
        for r in RESOURCES
    ]
    return pd.DataFrame(rows, columns=["resource", "collection names", "actions", "sources"])


# ---------------------------------------------------------------------------------------- operations
OPERATION_VERBS: dict[str, str] = {
    **dict.fromkeys(
        ("create", "send", "add", "post", "upload", "publish", "request", "record", "register"), "create"
    ),
    **dict.fromkeys(("list", "browse", "page"), "list"),
    **dict.fromkeys(("get", "read", "view", "fetch"), "get"),
    **dict.fromkeys(("update", "edit", "put", "change"), "update"),
    **dict.fromkeys(("delete", "remove", "cancel"), "delete"),
    "mark": "mark",
    **dict.fromkeys(("receive", "push", "subscribe"), "receive"),
    "redirect": "redirect",
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


def _names_res(segment: str, res: Resource) -> bool:
    """Whether a path segment names ``res``; a compound names what its last word names (group-channels)."""
    if not _is_noun_segment(segment):
        return False
    words = _words(segment)
    return bool((_noun_keys(segment) | _noun_keys(words[-1] if words else segment)) & res.keys)


def _same_meaning(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in _EVENT_MEANINGS)


def _event_matches(event: str, noun: str, res: Resource, what: str) -> bool:
    head, _, tail = event.partition(".")
    if what:
        last = _words(tail)[-1] if _words(tail) else tail
        return _names_res(head.replace("_", "-"), res) and (_same_meaning(last, what) or tail == what)
    return any(_names_res(w, res) for w in _words(event)) or event.split(".")[0] == noun.replace("-", "_")


def _shape(parts: list[str]) -> tuple[str | None, bool, bool]:
    """(noun segment, whether the path ends on one item, whether the noun follows an item or the caller)."""
    if not parts:
        return None, False, False
    if _is_param(parts[-1]) or parts[-1].lower() in CURRENT_USER:
        noun = parts[-2] if len(parts) >= 2 else None
        return noun, True, False
    owned = len(parts) >= 2 and (_is_param(parts[-2]) or parts[-2].lower() in CURRENT_USER)
    return parts[-1], False, owned


def _is_bare_read(e: Endpoint, parts: list[str]) -> bool:
    """``GET /{code}``, or under an ``/api`` or version prefix only (``GET /api/v1/{code}``)."""
    prefix = [p for p in parts[:-1] if p.lower() != "api" and not _VERSION_RE.match(p)]
    return e.method == "GET" and bool(parts) and _is_param(parts[-1]) and not prefix


def _satisfies(e: Endpoint, need: _Need) -> bool:
    noun, _, what = need.noun.partition(".")
    res = resource(noun)
    if e.transport == "websocket":
        if need.kind == "receive":
            return any(_event_matches(ev, noun, res, what) for ev in e.events)
        if need.kind in ("create", "update"):  # a position pushed up the socket (Alex Xu vol. 2, ch. 2)
            return any(_event_matches(ev, noun, res, "") for ev in e.events)
        return False
    if need.kind == "receive":
        return False
    parts = _parts(e.path)
    if need.kind == "redirect" or (need.kind == "get" and res.redirect):
        if _is_bare_read(e, parts):
            return True
        if need.kind == "redirect":
            return False
    action = _action(e)
    if action is not None and (parts[-1].startswith(":") or not _names_res(parts[-1], res)):
        if e.method != "POST":
            return False
        kinds = dict(res.actions)
        if action in kinds:
            return kinds[action] == need.kind
        body = parts[:-1]
        target, _item, _owned = _shape(body)
        return _GENERIC_ACTIONS.get(action) == need.kind and target is not None and _names_res(target, res)
    target, item, owned = _shape(parts)
    if target is None or not _names_res(target, res):
        return False
    singular_child = owned and not _looks_plural(target)
    method = e.method
    if need.kind == "create":  # POST on an item: the client names it (Temporal, EventBridge Scheduler)
        return method == "POST" or (method == "PUT" and (item or singular_child))
    if need.kind == "list":
        return method == "GET" and not item
    if need.kind == "get":
        return method == "GET" and (item or singular_child or (res.ranked and not item))
    if need.kind == "update":
        return method in ("PUT", "PATCH") or (method == "POST" and item)
    if need.kind == "delete":
        if method == "DELETE":
            return item or singular_child
        return (
            method in ("PUT", "PATCH")
            and item
            and any(f.rstrip("?") in ("status", "state") for f in e.request)
        )
    return False


def _satisfies_mark(e: Endpoint, need: _Need) -> bool:
    parts = _parts(e.path)
    res = resource(need.noun)
    return (
        e.transport == "rest"
        and e.method in ("PUT", "PATCH", "POST")
        and len(parts) >= 3
        and _kebab(_words(parts[-1].lstrip(":"))) == need.state
        and _is_param(parts[-2])
        and _names_res(parts[-3], res)
    )


def _provides(e: Endpoint, need: _Need) -> bool:
    return _satisfies_mark(e, need) if need.kind == "mark" else _satisfies(e, need)


def supports(
    api: Api | Iterable[Endpoint | str] | str, operations: Iterable[str]
) -> dict[str, Endpoint | None]:
    """For each operation, the first endpoint that provides it, or ``None`` when none does.

    An operation is a verb and a noun (case does not matter). The noun names a resource by meaning:
    :func:`resource` looks it up in :data:`RESOURCES`, so ``create link`` accepts ``POST .../links``,
    ``POST .../urls`` or ``POST .../short-urls``; the path before the collection does not matter
    (``/me/...``, ``/users/{user_id}/...``), nor its plural.

    * ``create|send|add|post|upload|request|record X``: POST on a collection of X, PUT or POST on
      one item (the client picks the id: ``PUT /user/following/{username}``), PUT on the caller's one X
      (``PUT /drivers/{driver_id}/location``), a custom action that creates X (``POST .../shorten``),
      or an X event sent up a WebSocket
    * ``list|browse|page X``: GET on a collection of X
    * ``get|read|view|fetch X``: GET on one item, on an owned singular (``.../location``), or, for a
      ranked resource such as suggestions, GET on the collection with a query
    * ``update|edit|put X``: PUT or PATCH on an item or a collection of X; POST on an item (Stripe)
    * ``delete|remove|cancel X``: DELETE on an item, a cancel action (``POST .../{id}/cancel``,
      ``POST .../{id}:cancel``), or a PATCH of its status
    * ``mark X STATE``: PUT, PATCH or POST on a state of one item (``PUT .../messages/{id}/read``)
    * ``receive|push|subscribe X``: a WebSocket endpoint with an event about X; ``receive X.Y``
      accepts the same meaning (``message.new`` = ``message.created``)
    * ``redirect X``: a GET on a bare short path (``GET /{code}``)

    >>> found = supports(CHAT_API, ["send message", "receive typing", "delete chat"])
    >>> [e.signature if e else None for e in found.values()]
    ['POST /api/v1/messages', 'WEBSOCKET /ws/v1/connect', None]
    >>> supports("POST /api/v1/data/shorten {long_url}", ["create link"])["create link"].signature
    'POST /api/v1/data/shorten'
    """
    api = _as_api(api)
    if isinstance(operations, str):
        operations = [operations]
    needs = [(op, _parse_operation(op)) for op in operations]
    return {op: next((e for e in api if _provides(e, need)), None) for op, need in needs}


def missing_operations(api: Api | Iterable[Endpoint | str] | str, operations: Iterable[str]) -> list[str]:
    """The operations no endpoint of ``api`` provides, in the order given.

    >>> missing_operations(CHAT_API, CHAT_OPERATIONS)
    []
    """
    return [op for op, e in supports(api, operations).items() if e is None]


def has_idempotency_key(e: Endpoint) -> bool:
    """Whether a call carries an idempotency key: a header, a body field or a query parameter.

    Accepted names: any with the word ``idempotency`` (Stripe and Adyen ``Idempotency-Key``, Square
    ``idempotency_key``), Google AIP-155's ``request_id`` and PayPal's ``PayPal-Request-Id``.

    >>> has_idempotency_key(parse_endpoint("POST /v1/charges Idempotency-Key: <key> {amount}"))
    True
    """
    names = [_param_key(n.rstrip("?")) for n in (*e.headers, *e.request, *e.query)]
    return any("idempotency" in n or n in _IDEMPOTENCY_NAMES for n in names)


def judge(
    api: Api | Iterable[Endpoint | str] | str,
    operations: Iterable[str] = (),
    *,
    idempotent: Iterable[str] = (),
) -> list[Finding]:
    """:func:`review`, then what one problem requires: every operation, paged lists, idempotency keys.

    A ``list`` operation needs an endpoint that pages (cursor, page token or offset); each operation
    of ``idempotent`` needs an endpoint that provides it and carries an idempotency key.

    >>> charge = "POST /v1/charges {amount}"
    >>> [f.rule for f in judge(charge, ["create payment"], idempotent=["create payment"])]
    ['no-idempotency-key']
    """
    api = _as_api(api)
    operations = [operations] if isinstance(operations, str) else list(operations)
    idempotent = [idempotent] if isinstance(idempotent, str) else list(idempotent)
    found = review(api)
    for op in [*operations, *(o for o in idempotent if o not in operations)]:
        need = _parse_operation(op)
        candidates = [e for e in api if _provides(e, need)]
        if not candidates:
            found.append(
                _finding("missing-operation", None, f"no endpoint lets a client {op!r}", _example(need))
            )
            continue
        if need.kind == "list" and all(e.pagination is None for e in candidates):
            found.append(
                _finding(
                    "list-not-paged",
                    candidates[0],
                    f"'{op}' returns one page and no way to the next",
                    "page it: ?cursor=&limit=50 returning next_cursor (or page_token, starting_after)",
                )
            )
        if op in idempotent and not any(has_idempotency_key(e) for e in candidates):
            found.append(
                _finding(
                    "no-idempotency-key",
                    candidates[0],
                    f"'{op}' carries no idempotency key, so a retried request can run twice",
                    "send an Idempotency-Key header (Stripe) or an idempotency_key field, and let the "
                    "server return the first result for a repeated key",
                )
            )
    return found


def _example(need: _Need) -> str:
    res = resource(need.noun.partition(".")[0])
    plural = res.nouns[0] if res.nouns else need.noun
    item = f"{plural}/{{{_kebab(_words(res.name)).replace('-', '_')}_id}}"
    examples = {
        "create": f"POST .../{plural}",
        "list": f"GET .../{plural}?cursor=&limit=",
        "get": f"GET .../{item}",
        "update": f"PUT or PATCH .../{item}",
        "delete": f"DELETE .../{item}",
        "mark": f"PUT .../{item}/{need.state}",
        "receive": f"WEBSOCKET ... events: {need.noun if '.' in need.noun else need.noun + '.new'}",
        "redirect": "GET /{code}",
    }
    return f"add one, e.g. {examples[need.kind]}"


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
