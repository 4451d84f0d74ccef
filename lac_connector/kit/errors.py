"""Exceptions a user can act on, shared by every source. Messages never contain credentials.

The `lac` command maps them to exit codes: `ConfigError` and `AuthError` are configuration
problems (exit 2), everything else a failed sync (exit 1).
"""


class ConnectorError(Exception):
    """Base class for every error the connector raises on purpose."""


class ConfigError(ConnectorError):
    """A setting is missing or malformed; the message names the setting."""


class ApiError(ConnectorError):
    """The API answered with an error, or kept failing after retries."""

    def __init__(self, message: str, *, status: int | None = None, endpoint: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.endpoint = endpoint


class AuthError(ApiError):
    """401: the credential was rejected."""


class ForbiddenError(ApiError):
    """403: the credential lacks the scope or role for this endpoint."""


class NotFoundError(ApiError):
    """404: the object does not exist (any more)."""


def root_cause(exc: BaseException) -> BaseException:
    """The first ConnectorError inside dlt's wrappers (PipelineStepFailed, ResourceExtractionError...)."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ConnectorError):
            return current
        stack += [
            e for e in (getattr(current, "exception", None), current.__cause__, current.__context__) if e
        ]
    return exc
