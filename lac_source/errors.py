"""Exceptions a user can act on. Messages never contain credentials."""


class LacError(Exception):
    """Base class for every error this source raises on purpose."""


class LacConfigError(LacError):
    """A setting is missing or malformed; the message names the setting."""


class LacApiError(LacError):
    """The API answered with an error, or kept failing after retries."""

    def __init__(self, message: str, *, status: int | None = None, endpoint: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.endpoint = endpoint


class LacAuthError(LacApiError):
    """401: the credential was rejected."""


class LacForbiddenError(LacApiError):
    """403: the credential lacks the scope or role for this endpoint."""


class LacNotFoundError(LacApiError):
    """404: the object does not exist (any more)."""


def root_cause(exc: BaseException) -> BaseException:
    """The first LacError inside dlt's wrappers (PipelineStepFailed, ResourceExtractionError...)."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, LacError):
            return current
        stack += [
            e for e in (getattr(current, "exception", None), current.__cause__, current.__context__) if e
        ]
    return exc
