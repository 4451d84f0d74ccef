"""`python -m ledgerlou_sandbox` serves and prints the base URL and keys."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time

import httpx

from ledgerlou_sandbox.cli import main


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_serves_with_extra_key(capsys):
    port = _free_port()
    stop = threading.Event()
    args = [
        "--port",
        str(port),
        "--api-key",
        "ll_live_mine",
        "--shape",
        "nested",
        "--months",
        "3",
        "--bookings-per-month",
        "10",
        "--today",
        "2026-11-21",
    ]
    t = threading.Thread(target=main, args=(args,), kwargs={"stop": stop})
    t.start()
    try:
        for _ in range(200):
            try:
                r = httpx.get(
                    f"http://127.0.0.1:{port}/v1/bank-accounts",
                    headers={"Authorization": "Bearer ll_live_mine"},
                )
                break
            except httpx.TransportError:
                time.sleep(0.05)
        assert r.status_code == 200 and r.json()[0]["bank_account_id"]
    finally:
        stop.set()
        t.join(5)
    out = capsys.readouterr().out
    assert f"LedgerLou sandbox serving at http://127.0.0.1:{port} " in out
    assert out.count("ll_live_") == 4 and "session token" in out and "--api-key accepted" in out


def test_module_entry_point_rejects_bad_config():
    r = subprocess.run(
        [sys.executable, "-m", "ledgerlou_sandbox", "--tenants", "2", "--customers", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and "customers must be within 4..40" in r.stderr and r.stdout == ""
