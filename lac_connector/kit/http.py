"""A small, read-only HTTP client for JSON APIs with a bearer credential.

One `ApiClient` per run and API: a pooled `httpx.Client` with explicit timeouts, tenacity retries
for transient failures (429 honouring `Retry-After`, 5xx, dropped connections, timeouts, truncated
JSON; a server never reached yet gets only `FIRST_CONTACT_ATTEMPTS`), and error answers mapped to
exceptions a user can act on (the detail is taken from an `{"error", "detail"}`-like envelope
when the body has one). The bearer token lives only in the
httpx client's default headers: it is never logged, put in an exception message, or stored.
"""

import json
import logging
import re
import threading
from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import httpx
import msgspec
import orjson
from tenacity import RetryCallState, Retrying, retry_if_exception, wait_exponential_jitter

from lac_connector.kit.errors import ApiError, AuthError, ConfigError, ForbiddenError, NotFoundError
from lac_connector.kit.version import USER_AGENT

logger = logging.getLogger("lac")

CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 60.0
MAX_ATTEMPTS = 6
FIRST_CONTACT_ATTEMPTS = 2  # connection attempts before the server ever answered
BACKOFF_INITIAL_S = 0.5
BACKOFF_MAX_S = 30.0
RETRY_AFTER_MAX_S = 120.0
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_CONNECTIONS = 16


@dataclass(frozen=True)
class ApiHints:
    """How error messages name the API and the settings a user should fix."""

    api_name: str  # e.g. "LAC"
    credential: str  # e.g. "api_key in [sources.lac] of .dlt/secrets.toml or SOURCES__LAC__API_KEY"
    base_url: str  # e.g. "[sources.lac] base_url (...) points at the LAC API's /portal base path"
    forbidden: str = ""  # what a 403 usually means for this API
    hidden_params: frozenset[str] = frozenset()  # query parameters left out of messages


class _TransientError(Exception):
    """A failure worth retrying; `retry_after` is the server's requested pause, if any."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _is_transient(exc: BaseException) -> bool:
    return isinstance(exc, _TransientError | httpx.TransportError)


def _retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return min(max(float(value), 0.0), RETRY_AFTER_MAX_S)
    except ValueError:  # an HTTP-date: rare for APIs; fall back to our own backoff
        return None


# A run of 19 digits: maybe an integer beyond 64 bits, which orjson would turn into a float.
_LONG_DIGITS = re.compile(rb"\d{19}")


def _loads(body: bytes, exact_decimals: bool = False) -> Any:
    """Decode JSON with orjson (several times faster) unless the body may hold an integer beyond
    64 bits; whatever orjson refuses (NaN, UTF-16, lone surrogates) stdlib json decides.

    With `exact_decimals`, every JSON number with a fraction or exponent becomes a `Decimal`
    holding exactly the digits sent (`0.07`, never the binary float 0.07000000000000000666);
    integers stay `int`. orjson has no decimal mode, so stdlib json decodes those bodies.
    """
    if exact_decimals:
        return json.loads(body, parse_int=_parse_int, parse_float=Decimal)
    if not _LONG_DIGITS.search(body):
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            pass
    return json.loads(body, parse_int=_parse_int)


_RAW_MEMBERS = msgspec.json.Decoder(dict[str, msgspec.Raw])
_RAW_ELEMENTS = msgspec.json.Decoder(list[msgspec.Raw])


class RawArray:
    """A JSON array of a response left undecoded: its elements as raw JSON texts.

    The whole body was validated when it arrived; `decode` turns a slice of the elements into
    Python values exactly as `ApiClient.get_json` would, so a caller can hold a large array as
    its (compact) JSON text and convert it a chunk at a time.
    """

    __slots__ = ("_items",)

    def __init__(self, items: list[msgspec.Raw]) -> None:
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    def raw(self, start: int = 0, stop: int | None = None) -> list[bytes | msgspec.Raw]:
        """The elements' JSON texts (buffers), e.g. to digest them."""
        return self._items[start:stop]

    def decode(self, start: int = 0, stop: int | None = None) -> list[Any]:
        items = self._items[start:stop]
        if not items:
            return []
        try:
            return _loads(b"[" + b",".join(items) + b"]")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ApiError(f"an element of a response array is not valid JSON: {exc}") from exc


def _loads_lazy(body: bytes, lazy: Collection[str]) -> Any:
    """Decode `body`; when it is an object, its `lazy` members that are arrays become `RawArray`s.

    The structure is scanned (and validated) by msgspec without building Python objects for the
    lazy arrays. Whatever msgspec refuses is decoded by `_loads` as usual (which then decides).
    """
    try:
        members = _RAW_MEMBERS.decode(body)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return _loads(body)
    out: dict[str, Any] = {}
    for key, raw in members.items():
        if key in lazy and bytes(memoryview(raw)[:1]) == b"[":
            out[key] = RawArray(_RAW_ELEMENTS.decode(raw))
        else:
            out[key] = _loads(bytes(raw))
    return out


def _parse_int(text: str) -> int | Decimal:
    """JSON integers beyond 64 bits become Decimal: dlt's writers reject such ints (crashing the
    extract), while a Decimal loads exactly into a decimal column (docs/failures.md)."""
    if len(text) < 19:  # at most 18 digits and a sign: always within 64 bits
        return int(text)
    value = int(text)
    return value if -(2**63) <= value < 2**63 else Decimal(text)


def _describe(
    method: str, path: str, params: Mapping[str, Any] | None, hidden: frozenset[str] = frozenset()
) -> str:
    shown = {k: v for k, v in (params or {}).items() if k not in hidden}
    query = " ".join(f"{k}={v}" for k, v in shown.items())
    return f"{method} {path}" + (f" ({query})" if query else "")


class ApiClient:
    """Read-only access to one API base URL with one bearer credential."""

    def __init__(
        self,
        base_url: str,
        token: str,
        hints: ApiHints,
        *,
        connect_timeout: float = CONNECT_TIMEOUT_S,
        read_timeout: float = READ_TIMEOUT_S,
        max_attempts: int = MAX_ATTEMPTS,
        backoff_max: float = BACKOFF_MAX_S,
        transport: httpx.BaseTransport | None = None,
        exact_decimals: bool = False,
    ) -> None:
        """`exact_decimals`: decode JSON numbers with a fraction as `Decimal` (money sent as JSON
        numbers in currency units); by default they are floats."""
        self.base_url = base_url.rstrip("/")
        self.hints = hints
        self.max_attempts = max_attempts
        self.exact_decimals = exact_decimals
        self._backoff = wait_exponential_jitter(multiplier=BACKOFF_INITIAL_S, max=backoff_max)
        self._http = httpx.Client(
            base_url=self.base_url + "/",
            headers={
                "Authorization": f"Bearer {token}",
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
            },
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            limits=httpx.Limits(
                max_connections=MAX_CONNECTIONS,
                max_keepalive_connections=MAX_CONNECTIONS,
            ),
            follow_redirects=False,
            transport=transport,
        )
        self._lock = threading.Lock()
        self._answered = False  # has the server ever answered? (connection failures before: not retried)
        self.request_counts: Counter[str] = Counter()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "ApiClient":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- public API -------------------------------------------------------------------------

    def get_json(
        self,
        endpoint: str,
        params: Mapping[str, Any] | None = None,
        *,
        path_params: Mapping[str, str] | None = None,
        count_as: str | None = None,
        lazy: Collection[str] = (),
    ) -> Any:
        """GET `endpoint` (a spec path template such as `/invoices/{invoice_id}`) and decode JSON.

        JSON `null` is returned as `None`; the spec uses it for "nothing available". `count_as`
        files the request under another label in `request_counts` (e.g. one per sheet tab).
        `lazy` names members of an object body that are returned as `RawArray`s when they are
        arrays: validated now, decoded by the caller a chunk at a time (large pages).
        """
        path = self._path(endpoint, path_params)
        for attempt in self._retrying(endpoint, path, params):
            with attempt:
                response = self._send(count_as or endpoint, path, params)
                return self._decode(response, path, params, lazy)
        raise AssertionError("unreachable")  # pragma: no cover - Retrying either returns or raises

    @contextmanager
    def stream(
        self,
        endpoint: str,
        params: Mapping[str, Any] | None = None,
        *,
        path_params: Mapping[str, str] | None = None,
    ) -> Iterator[httpx.Response]:
        """Open a streamed GET for a file download; retries only until the headers arrive.

        The caller reads `response.iter_bytes()`; a failure mid-body surfaces as an
        `httpx.TransportError` for the caller to retry the whole download.
        """
        path = self._path(endpoint, path_params)
        response: httpx.Response | None = None
        for attempt in self._retrying(endpoint, path, params):
            with attempt:
                response = self._send(endpoint, path, params, stream=True)
        assert response is not None
        try:
            yield response
        finally:
            response.close()

    # -- internals --------------------------------------------------------------------------

    @staticmethod
    def _path(endpoint: str, path_params: Mapping[str, str] | None) -> str:
        if not path_params:
            return endpoint
        return endpoint.format(**{k: quote(str(v), safe="") for k, v in path_params.items()})

    def describe(self, path: str, params: Mapping[str, Any] | None) -> str:
        """`GET /path (query)` for messages, without the parameters the hints hide."""
        return _describe("GET", path, params, self.hints.hidden_params)

    def _retrying(self, endpoint: str, path: str, params: Mapping[str, Any] | None) -> Retrying:
        def wait(state: RetryCallState) -> float:
            backoff = self._backoff(state)
            exc = state.outcome.exception() if state.outcome else None
            retry_after = getattr(exc, "retry_after", None)
            return max(backoff, retry_after) if retry_after is not None else backoff

        def log_retry(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            logger.debug(
                "retrying %s after: %s (attempt %d of %d)",
                self.describe(path, params),
                exc,
                state.attempt_number,
                self.max_attempts,
            )

        def give_up(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            raise ApiError(
                f"{self.describe(path, params)} still failing after {state.attempt_number} attempts: {exc}",
                endpoint=endpoint,
            ) from exc

        def stop(state: RetryCallState) -> bool:
            if state.attempt_number >= self.max_attempts:
                return True
            # Refused, unknown host, no route before the server ever answered: the URL is wrong or
            # the server is down, and a minute of backoff would only delay saying so.
            exc = state.outcome.exception() if state.outcome else None
            return (
                isinstance(exc, httpx.ConnectError)
                and not self._answered
                and state.attempt_number >= FIRST_CONTACT_ATTEMPTS
            )

        return Retrying(
            retry=retry_if_exception(_is_transient),
            stop=stop,
            wait=wait,
            before_sleep=log_retry,
            retry_error_callback=give_up,
            reraise=False,
        )

    def _send(
        self, label: str, path: str, params: Mapping[str, Any] | None, *, stream: bool = False
    ) -> httpx.Response:
        with self._lock:
            self.request_counts[label] += 1
        request = self._http.build_request("GET", path.lstrip("/"), params=params)
        response = self._http.send(request, stream=stream)
        self._answered = True
        if response.status_code < 400:
            return response
        if stream:
            response.read()
            response.close()
        if response.status_code in RETRYABLE_STATUS:
            raise _TransientError(
                f"HTTP {response.status_code} {self._detail(response)}".strip(),
                retry_after=_retry_after_seconds(response),
            )
        raise self._error(response, path, params)

    def _decode(
        self,
        response: httpx.Response,
        path: str,
        params: Mapping[str, Any] | None,
        lazy: Collection[str] = (),
    ) -> Any:
        content_type = response.headers.get("Content-Type", "")
        if "json" not in content_type:
            raise ConfigError(
                f"{self.describe(path, params)} answered {content_type or 'no content type'}, not JSON: "
                f"check {self.hints.base_url} ({self.base_url})"
            )
        try:
            if lazy:
                return _loads_lazy(response.content, lazy)
            return _loads(response.content, self.exact_decimals)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise _TransientError(
                f"response body is not valid JSON ({exc.msg if hasattr(exc, 'msg') else exc})"
            ) from exc

    @staticmethod
    def _detail(response: httpx.Response) -> str:
        """The error text of a JSON error body (`error`, `detail`, `message` fields), if any."""
        try:
            body = response.json()
        except ValueError:
            return ""
        if not isinstance(body, dict):
            return ""
        parts = [str(body[k]) for k in ("error", "detail", "message") if body.get(k)]
        return ": ".join(parts)

    def _error(self, response: httpx.Response, path: str, params: Mapping[str, Any] | None) -> ApiError:
        status = response.status_code
        what = self.describe(path, params)
        detail = self._detail(response) or response.reason_phrase
        if status == 401:
            return AuthError(
                f"the {self.hints.api_name} API rejected the credential (401 {detail}): "
                f"set a valid {self.hints.credential}",
                status=status,
                endpoint=path,
            )
        if status == 403:
            reason = f": {self.hints.forbidden}" if self.hints.forbidden else ""
            return ForbiddenError(
                f"{what} is forbidden for this credential (403 {detail}){reason}",
                status=status,
                endpoint=path,
            )
        if status == 404:
            return NotFoundError(f"{what} not found (404 {detail})", status=status, endpoint=path)
        if status in (400, 422):
            return ApiError(
                f"{what} was refused by the API ({status}): {detail}", status=status, endpoint=path
            )
        return ApiError(f"{what} failed with HTTP {status}: {detail}", status=status, endpoint=path)
