"""LAC Customer API sandbox: a deterministic local simulator of the `/portal` API."""

from .config import SandboxConfig
from .sandbox import RequestRecord, Sandbox

__all__ = ["RequestRecord", "Sandbox", "SandboxConfig"]
