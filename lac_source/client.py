"""A small, read-only HTTP client for the LAC Customer API.

One `LacClient` per run: a pooled `httpx.Client` with explicit timeouts, tenacity retries for
transient failures (429 honouring `Retry-After`, 5xx, dropped connections, timeouts, truncated
JSON), and errors mapped from the API's `{"error", "detail"}` envelope to exceptions a user can
act on. The bearer token lives only in the httpx client's default headers: it is never logged,
put in an exception message, or stored.
"""

import json
import logging
import re
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import httpx
import orjson
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from lac_source import settings
from lac_source.errors import (
    LacApiError,
    LacAuthError,
    LacConfigError,
    LacForbiddenError,
    LacNotFoundError,
)

logger = logging.getLogger("lac")


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
        return min(max(float(value), 0.0), settings.RETRY_AFTER_MAX_S)
    except ValueError:  # an HTTP-date: rare for APIs; fall back to our own backoff
        return None


# A run of 19 digits: maybe an integer beyond 64 bits, which orjson would turn into a float.
_LONG_DIGITS = re.compile(rb"\d{19}")


def _loads(body: bytes) -> Any:
    """Decode JSON with orjson (several times faster) unless the body may hold an integer beyond
    64 bits; whatever orjson refuses (NaN, UTF-16, lone surrogates) stdlib json decides."""
    if not _LONG_DIGITS.search(body):
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            pass
    return json.loads(body, parse_int=_parse_int)


def _parse_int(text: str) -> int | Decimal:
    """JSON integers beyond 64 bits become Decimal: dlt's writers reject such ints (crashing the
    extract), while a Decimal loads exactly into a decimal column (README, "Failure behaviour")."""
    if len(text) < 19:  # at most 18 digits and a sign: always within 64 bits
        return int(text)
    value = int(text)
    return value if -(2**63) <= value < 2**63 else Decimal(text)


def _describe(method: str, path: str, params: Mapping[str, Any] | None) -> str:
    shown = {k: v for k, v in (params or {}).items() if k != "customer_id"}
    query = " ".join(f"{k}={v}" for k, v in shown.items())
    return f"{method} {path}" + (f" ({query})" if query else "")


class LacClient:
    """Read-only access to one LAC API base URL with one bearer credential."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        credential_setting: str = "api_key",
        connect_timeout: float = settings.CONNECT_TIMEOUT_S,
        read_timeout: float = settings.READ_TIMEOUT_S,
        max_attempts: int = settings.MAX_ATTEMPTS,
        backoff_max: float = settings.BACKOFF_MAX_S,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.credential_setting = credential_setting
        self.max_attempts = max_attempts
        self._backoff = wait_exponential_jitter(multiplier=settings.BACKOFF_INITIAL_S, max=backoff_max)
        self._http = httpx.Client(
            base_url=self.base_url + "/",
            headers={
                "Authorization": f"Bearer {token}",
                "User-Agent": settings.USER_AGENT,
                "Accept": "application/json",
            },
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            limits=httpx.Limits(
                max_connections=settings.MAX_CONNECTIONS,
                max_keepalive_connections=settings.MAX_CONNECTIONS,
            ),
            follow_redirects=False,
            transport=transport,
        )
        self._lock = threading.Lock()
        self.request_counts: Counter[str] = Counter()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "LacClient":
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
    ) -> Any:
        """GET `endpoint` (a spec path template such as `/invoices/{invoice_id}`) and decode JSON.

        JSON `null` is returned as `None`; the spec uses it for "nothing available". `count_as`
        files the request under another label in `request_counts` (e.g. one per sheet tab).
        """
        path = self._path(endpoint, path_params)
        for attempt in self._retrying(endpoint, path, params):
            with attempt:
                response = self._send(count_as or endpoint, path, params)
                return self._decode(response, path, params)
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

    def _retrying(self, endpoint: str, path: str, params: Mapping[str, Any] | None) -> Retrying:
        def wait(state: RetryCallState) -> float:
            backoff = self._backoff(state)
            exc = state.outcome.exception() if state.outcome else None
            retry_after = getattr(exc, "retry_after", None)
            return max(backoff, retry_after) if retry_after is not None else backoff

        def log_retry(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            logger.info(
                "retrying %s after: %s (attempt %d of %d)",
                _describe("GET", path, params),
                exc,
                state.attempt_number,
                self.max_attempts,
            )

        def give_up(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            raise LacApiError(
                f"{_describe('GET', path, params)} still failing after "
                f"{state.attempt_number} attempts: {exc}",
                endpoint=endpoint,
            ) from exc

        return Retrying(
            retry=retry_if_exception(_is_transient),
            stop=stop_after_attempt(self.max_attempts),
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
        if response.status_code < 400:
            return response
        if stream:
            response.read()
            response.close()
        if response.status_code in settings.RETRYABLE_STATUS:
            raise _TransientError(
                f"HTTP {response.status_code} {self._detail(response)}".strip(),
                retry_after=_retry_after_seconds(response),
            )
        raise self._error(response, path, params)

    def _decode(self, response: httpx.Response, path: str, params: Mapping[str, Any] | None) -> Any:
        content_type = response.headers.get("Content-Type", "")
        if "json" not in content_type:
            raise LacConfigError(
                f"{_describe('GET', path, params)} answered {content_type or 'no content type'}, not JSON: "
                f"check [sources.lac] base_url ({self.base_url}) points at the LAC API's /portal base path"
            )
        try:
            return _loads(response.content)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise _TransientError(
                f"response body is not valid JSON ({exc.msg if hasattr(exc, 'msg') else exc})"
            ) from exc

    @staticmethod
    def _detail(response: httpx.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            return ""
        if not isinstance(body, dict):
            return ""
        parts = [str(body[k]) for k in ("error", "detail") if body.get(k)]
        return ": ".join(parts)

    def _error(self, response: httpx.Response, path: str, params: Mapping[str, Any] | None) -> LacApiError:
        status = response.status_code
        what = _describe("GET", path, params)
        detail = self._detail(response) or response.reason_phrase
        if status == 401:
            return LacAuthError(
                f"the LAC API rejected the credential (401 {detail}): set a valid {self.credential_setting} "
                f"in [sources.lac] of .dlt/secrets.toml or SOURCES__LAC__{self.credential_setting.upper()}",
                status=status,
                endpoint=path,
            )
        if status == 403:
            return LacForbiddenError(
                f"{what} is forbidden for this credential (403 {detail}): it lacks the scope or role; "
                "payroll and API-key endpoints need an interactive admin session "
                "([sources.lac] access_token)",
                status=status,
                endpoint=path,
            )
        if status == 404:
            return LacNotFoundError(f"{what} not found (404 {detail})", status=status, endpoint=path)
        if status == 422:
            return LacApiError(f"{what} was refused by the API (422): {detail}", status=status, endpoint=path)
        return LacApiError(f"{what} failed with HTTP {status}: {detail}", status=status, endpoint=path)
