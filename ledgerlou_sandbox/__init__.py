"""LedgerLou API sandbox: a deterministic local simulator of the LedgerLou `/v1` API."""

from .config import SandboxConfig
from .sandbox import RequestRecord, Sandbox

__all__ = ["RequestRecord", "Sandbox", "SandboxConfig"]
