"""The sandbox in a child process, controlled over a `multiprocessing` Pipe.

The sandbox CLIs have no HTTP endpoint for `advance()` or the request log, so the benchmark runs
`Sandbox(cfg).serve()` in a spawned process of its own (its memory and CPU are not counted in any
contender) and sends it commands: `log` (requests served since the last `reset`), `reset`,
`advance`, `stop`. `api` picks the simulator: `lac` (`lac_sandbox`, one company) or `ledgerlou`
(`ledgerlou_sandbox`, one tenant).
"""

from __future__ import annotations

import multiprocessing as mp
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

# (method, path after the API's base path (LAC: /portal), query, status)
LoggedRequest = tuple[str, str, dict[str, str], int]


def _lac_sandbox(cfg_kwargs: dict[str, Any]) -> tuple[Any, str, str]:
    """The LAC sandbox, its first company and that company's read key."""
    from lac_sandbox import Sandbox, SandboxConfig

    sb = Sandbox(SandboxConfig(**cfg_kwargs))
    cid = sb.customer_ids[0]
    for period in sb.ledger(cid).periods_with_rows():  # warm the per-month aggregate cache once,
        sb.ledger(cid).aggregates(period)  # so the first contender does not pay for it
    return sb, cid, sb.read_key(cid)


def _ledgerlou_sandbox(cfg_kwargs: dict[str, Any]) -> tuple[Any, str, str]:
    """The LedgerLou sandbox, its first tenant and that tenant's key with every read scope."""
    from ledgerlou_sandbox import Sandbox, SandboxConfig

    sb = Sandbox(SandboxConfig(**cfg_kwargs))
    tid = sb.tenant_ids[0]
    return sb, tid, sb.api_key(tid)


def _serve(conn: Connection, api: str, cfg_kwargs: dict[str, Any]) -> None:
    sb, cid, key = (_ledgerlou_sandbox if api == "ledgerlou" else _lac_sandbox)(cfg_kwargs)
    with sb.serve() as server:
        today = sb.cfg.today
        conn.send(
            {
                "base_url": server.base_url,
                "api_key": key,
                "customer_id": cid,
                "end_period": f"{today.year:04d}-{today.month:02d}",
            }
        )
        while True:
            command = conn.recv()
            if command == "log":
                conn.send([(r.method, r.path, r.query, r.status) for r in list(sb.requests)])
            elif command == "reset":
                sb.reset_requests()
                conn.send(None)
            elif command == "advance":
                conn.send(sb.advance())
            elif command == "stop":
                conn.send(None)
                return
            else:
                conn.send(ValueError(f"unknown command {command!r}"))


@dataclass
class SandboxInfo:
    base_url: str
    api_key: str
    customer_id: str
    end_period: str


class SandboxProcess:
    """Context manager: a served sandbox in its own process (`spawn`, so nothing is inherited)."""

    def __init__(self, cfg_kwargs: dict[str, Any], api: str = "lac") -> None:
        ctx = mp.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(
            target=_serve, args=(child, api, cfg_kwargs), name=f"{api}-sandbox", daemon=True
        )
        self.info: SandboxInfo | None = None

    def __enter__(self) -> SandboxProcess:
        self._proc.start()
        if not self._conn.poll(600):
            raise RuntimeError("the sandbox process did not start within 600 s")
        self.info = SandboxInfo(**self._conn.recv())
        return self

    def _call(self, command: str) -> Any:
        self._conn.send(command)
        answer = self._conn.recv()
        if isinstance(answer, Exception):
            raise answer
        return answer

    def reset(self) -> None:
        self._call("reset")

    def log(self) -> list[LoggedRequest]:
        return self._call("log")

    def advance(self) -> dict[str, Any]:
        return self._call("advance")

    def __exit__(self, *exc: object) -> None:
        try:
            if self._proc.is_alive():
                self._call("stop")
        finally:
            self._proc.join(timeout=10)
            if self._proc.is_alive():
                self._proc.terminate()
                self._proc.join(timeout=5)
