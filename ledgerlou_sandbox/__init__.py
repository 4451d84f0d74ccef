"""LedgerLou API sandbox: a deterministic local simulator of the LedgerLou `/v1` API."""

from lac_connector.sandbox.request_log import RequestRecord

from .config import SandboxConfig
from .sandbox import Sandbox

__all__ = ["RequestRecord", "Sandbox", "SandboxConfig"]
