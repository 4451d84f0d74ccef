"""What a simulated API answers: a `Response`, or an `ApiError` raised while handling a request."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


class ApiError(Exception):
    """An error answer; the simulated API decides how its body looks (`SimulatedApi.render_error`)."""

    def __init__(self, status: int, code: str, detail: str):
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


@dataclass
class Response:
    """One HTTP answer. `customer_id` names the tenant the request acted on (for the request log)."""

    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    customer_id: str | None = None


def json_response(payload: object, status: int = 200, cid: str | None = None) -> Response:
    """`payload` as UTF-8 JSON (non-ASCII kept as is)."""
    return Response(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), customer_id=cid)
