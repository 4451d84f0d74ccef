"""The CLI serves, accepts --api-key and the shape flags."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest

from lac_sandbox import Sandbox
from lac_sandbox.cli import build_parser, config_from_args, main


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


def test_cli_random_shape_flags():
    cfg = config_from_args(build_parser().parse_args(["--shape", "random", "--shape-seed", "6"]))
    assert (cfg.shape, cfg.shape_seed) == ("random", 6)
    assert Sandbox(cfg).shape_info.hidden_keys == ("uploads",)
    assert build_parser().parse_args([]).shape_seed == 0


def test_cli_rejects_an_unknown_shape(capsys):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["--shape", "wavy"])
    assert exc.value.code == 2 and "invalid choice: 'wavy'" in capsys.readouterr().err
