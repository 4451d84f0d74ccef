"""The CLI serves and accepts --api-key."""

from __future__ import annotations

import socket
import threading
import time

import httpx

from lac_sandbox.cli import main


def test_cli_serves_with_extra_key(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    stop = threading.Event()
    t = threading.Thread(
        target=main,
        args=(
            [
                "--port",
                str(port),
                "--api-key",
                "lac_sk_mine",
                "--shape",
                "nested",
                "--months",
                "3",
                "--rows-per-month",
                "10",
            ],
        ),
        kwargs={"stop": stop},
    )
    t.start()
    try:
        for _ in range(100):
            try:
                r = httpx.get(
                    f"http://127.0.0.1:{port}/portal/company", headers={"Authorization": "Bearer lac_sk_mine"}
                )
                break
            except httpx.TransportError:
                time.sleep(0.05)
        assert r.status_code == 200 and r.json()["customer_id"] == "cust_aurora_oy"
    finally:
        stop.set()
        t.join(5)
    out = capsys.readouterr().out
    assert f"http://127.0.0.1:{port}/portal" in out and "lac_sk_read_" in out and "session token" in out
