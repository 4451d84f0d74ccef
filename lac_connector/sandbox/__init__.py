"""Generic simulator machinery shared by the sandboxes (LAC, LedgerLou).

- `server`: threaded HTTP server for any `SimulatedApi` (interface documented there), with
  latency, deterministic faults, truncation and a request log;
- `simulator.Simulator`: base class of a simulator facade (lock, fault plan, log, `serve()`);
- `faults`: the fault plan; `request_log`: `RequestRecord` / `RequestLog`;
- `responses`: `Response`, `ApiError`, `json_response`;
- `words`: deterministic pronounceable nonsense words.
"""

from .faults import ALL_FAULT_KINDS, DEFAULT_FAULT_KINDS, FaultPlan, FaultSettings, check_fault_settings
from .request_log import RequestLog, RequestRecord
from .responses import ApiError, Response, json_response
from .server import SandboxServer, ServeSettings, SimulatedApi, Simulation
from .simulator import Simulator
from .words import WordGenerator

__all__ = [
    "ALL_FAULT_KINDS",
    "DEFAULT_FAULT_KINDS",
    "ApiError",
    "FaultPlan",
    "FaultSettings",
    "RequestLog",
    "RequestRecord",
    "Response",
    "SandboxServer",
    "ServeSettings",
    "SimulatedApi",
    "Simulation",
    "Simulator",
    "WordGenerator",
    "check_fault_settings",
    "json_response",
]
