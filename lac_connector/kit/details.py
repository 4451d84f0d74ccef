"""Detail requests of a keyed list, made at most once a run and shared with key resolution."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lac_connector.kit.errors import ApiError, NotFoundError


def refused(exc: ApiError) -> bool:
    """Whether an error answer means "no such key" (404, or a 400/422 for a malformed one)."""
    return isinstance(exc, NotFoundError) or exc.status in (400, 422)


class Details:
    """Detail requests of one list, each made at most once a run.

    `probe` is key resolution's question ("does the API know this value?"); its answers are kept
    and handed out by `get`, so a detail the run needs anyway is not requested twice.
    """

    def __init__(self, fetch: Callable[[str], Any]) -> None:
        self.fetch = fetch
        self.answers: dict[str, Any] = {}

    def probe(self, entry: dict[str, Any], value: str) -> bool:
        try:
            self.answers[value] = self.fetch(value)
        except ApiError as exc:
            if refused(exc):
                return False
            raise
        return True

    def get(self, key: str) -> Any:
        """The detail of `key` (raises the API's errors, e.g. `NotFoundError`)."""
        return self.answers.pop(key) if key in self.answers else self.fetch(key)
