"""The `lac` command as a user runs it: a subprocess against the sandbox over loopback."""

import http.server
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from lac_connector.pipeline.lock import pipeline_lock

LAC = [sys.executable, "-m", "lac_connector"]
FAST_RESOURCES = "company,books_rows,vat_rows,statement_lines,messages"


def run_lac(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SOURCES__", "DESTINATION__", "DLT_"))}
    return subprocess.run(
        [*LAC, *args], env={**base, **env}, cwd=cwd, capture_output=True, text=True, timeout=240
    )


@pytest.fixture
def workdir(tmp_path):
    (tmp_path / "run").mkdir()
    return tmp_path / "run"


def lac_env(sandbox, workdir: Path, **extra: str) -> dict[str, str]:
    today = sandbox.cfg.today
    env = {
        "SOURCES__LAC__API_KEY": sandbox.read_key(sandbox.customer_ids[0]),
        "SOURCES__LAC__BASE_URL": sandbox.server.base_url,
        "SOURCES__LAC__END_PERIOD": f"{today.year:04d}-{today.month:02d}",
        "SOURCES__LAC__LANDING_URL": str(workdir / "landing"),
        "DLT_DATA_DIR": str(workdir / "dlt"),
        "DESTINATION__DUCKDB__CREDENTIALS": str(workdir / "warehouse.duckdb"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    env.update(extra)
    return env


def files_containing(root: Path, needle: str) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file() and needle.encode() in path.read_bytes():
            hits.append(str(path))
    return hits


def test_run_syncs_prints_a_summary_and_never_reveals_the_key(sandbox, workdir):
    env = lac_env(sandbox, workdir, RUNTIME__LOG_LEVEL="DEBUG")
    key = env["SOURCES__LAC__API_KEY"]
    result = run_lac(["run", "--resources", FAST_RESOURCES, "-v"], env, workdir)
    assert result.returncode == 0, result.stderr
    assert "books_rows" in result.stdout and "API requests" in result.stdout
    assert "lac: extracting from" in result.stderr
    assert key not in result.stdout + result.stderr
    assert (workdir / "warehouse.duckdb").exists()
    docs = run_lac(["transform", "--docs", "reference"], env, workdir)  # dbt's static docs
    assert docs.returncode == 0, docs.stderr
    html = (workdir / "reference" / "index.html").read_text()
    assert all(f'"model.lac_connector.{name}"' in html for name in ("mart_profit_and_loss", "stg_books_rows"))
    assert files_containing(workdir, key) == []  # warehouse, dlt state, traces, logs, landing, docs


def test_interactive_token_never_appears_either(sandbox, workdir):
    env = lac_env(sandbox, workdir)
    del env["SOURCES__LAC__API_KEY"]
    env["SOURCES__LAC__ACCESS_TOKEN"] = token = sandbox.session_token
    # the transforms never see a source's credential (the key test above runs them)
    result = run_lac(["run", "--resources", "company,api_keys", "--no-transforms"], env, workdir)
    assert result.returncode == 0, result.stderr
    assert token not in result.stdout + result.stderr
    assert files_containing(workdir, token) == []


def html_server():
    class Html(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            body = b"<html><body>Welcome</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Html)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize(
    ("args", "env_change", "expected"),
    [
        ([], {"SOURCES__LAC__API_KEY": None}, "no LAC credential: set [sources.lac] api_key"),
        ([], {"SOURCES__LAC__API_KEY": "lac_sk_a b"}, "api_key contains whitespace or a line break"),
        ([], {"SOURCES__LAC__API_KEY": "lac_sk_ab\n"}, "api_key contains whitespace or a line break"),
        ([], {"SOURCES__LAC__API_KEY": "lac_sk_unknown"}, "rejected the credential (401"),
        ([], {"SOURCES__LAC__BASE_URL": "not-a-url"}, "base_url must be an http(s) URL"),
        ([], {"SOURCES__LAC__BASE_URL": "http://no-such-host.invalid/portal"}, "could not reach the LAC API"),
        ([], {"SOURCES__LAC__BASE_URL": "{root}"}, "does not serve the LAC API"),
        ([], {"SOURCES__LAC__BASE_URL": "{html}"}, "not JSON: check [sources.lac] base_url"),
        (["--destination", "nosuchdb"], {}, "unknown destination 'nosuchdb'"),
        (["--destination", "postgres"], {}, "the postgres destination is missing credentials: set"),
        ([], {"DESTINATION__DUCKDB__CREDENTIALS": "/proc/no/dir/w.duckdb"}, "cannot write the DuckDB file"),
        (["--dataset-name", "warehouse"], {}, "dataset 'warehouse' has the name DuckDB gives the database"),
        (["--dataset-name", "lac"], {"DESTINATION__DUCKDB__CREDENTIALS": None}, "dataset 'lac' has the name"),
        (["--pipelines-dir", "/proc/lac-state"], {}, "cannot keep pipeline state in /proc/lac-state"),
        ([], {"SOURCES__LAC__LANDING_URL": "/proc/lac-landing"}, "cannot land files in /proc/lac-landing"),
        (["--start-period", "2026-13"], {}, "start_period must be a month as YYYY-MM"),
        (["--start-period", "abc"], {}, "start_period must be a month as YYYY-MM"),
        (["--resources", "books_rows,nope"], {}, "unknown resource(s) nope in --resources"),
    ],
    ids=[
        "missing-key",
        "key-space",
        "key-newline",
        "unknown-key",
        "bad-url",
        "no-such-host",
        "wrong-path",
        "html-page",
        "unknown-destination",
        "postgres-without-credentials",
        "unwritable-duckdb",
        "dataset-is-catalog",
        "dataset-is-default-catalog",
        "unwritable-pipelines-dir",
        "unwritable-landing",
        "month-13",
        "not-a-month",
        "unknown-resource",
    ],
)
def test_bad_configuration_fails_in_one_line_and_writes_nothing(sandbox, workdir, args, env_change, expected):
    html = html_server()
    env = lac_env(sandbox, workdir, SOURCES__LAC__MAX_ATTEMPTS="1")
    for name, value in env_change.items():
        if value is None:
            env.pop(name)
        else:
            env[name] = value.format(
                root=sandbox.server.base_url.removesuffix("/portal") + "/api",
                html=f"http://127.0.0.1:{html.server_address[1]}/portal",
            )
    try:
        result = run_lac(["run", *args], env, workdir)
    finally:
        html.shutdown()
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert lines[-1].startswith("lac: error: ") and expected in lines[-1], result.stderr
    assert [line for line in lines if line.startswith("Traceback")] == []
    assert list(workdir.glob("*.duckdb*")) == []
    assert not (workdir / "dlt" / "pipelines" / "lac").exists()
    assert not (workdir / "landing").exists()
    if "SOURCES__LAC__API_KEY" in env and len(env["SOURCES__LAC__API_KEY"].strip()) > 8:
        assert env["SOURCES__LAC__API_KEY"].strip() not in result.stderr


def test_second_concurrent_run_refuses(sandbox, workdir):
    env = lac_env(sandbox, workdir)
    with pipeline_lock(str(workdir / "dlt" / "pipelines"), "lac"):
        result = run_lac(["run", "--resources", "company"], env, workdir)
    assert result.returncode == 2
    assert "another run of pipeline 'lac' is in progress" in result.stderr
    assert not (workdir / "warehouse.duckdb").exists()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("base_url", "reason"),
    [
        (f"http://127.0.0.1:{closed_port()}/portal", "Connection refused"),
        ("http://no-such-host.invalid/portal", ""),
    ],
    ids=["refused", "unknown-host"],
)
def test_unreachable_api_fails_at_once_naming_url_and_setting(sandbox, workdir, base_url, reason):
    """Not the retry budget (6 attempts with backoff, default): a second try, then one line."""
    env = lac_env(sandbox, workdir, SOURCES__LAC__BASE_URL=base_url)
    quiet = run_lac(["run"], env, workdir)
    assert quiet.returncode == 2
    [line] = quiet.stderr.strip().splitlines()
    assert line.startswith(f"lac: error: could not reach the LAC API at {base_url} (")
    assert line.endswith("): check [sources.lac] base_url (SOURCES__LAC__BASE_URL)")
    assert reason in line
    verbose = run_lac(["run", "-v"], env, workdir)
    retries = [line for line in verbose.stderr.splitlines() if line.startswith("lac: retrying")]
    assert len(retries) == 1 and "(attempt 1 of 6)" in retries[0]
    assert list(workdir.iterdir()) == []


def test_credentials_in_config_toml_are_refused_in_one_line(sandbox, workdir):
    """dlt keeps credentials out of config.toml; the message says where they go instead."""
    (workdir / ".dlt").mkdir()
    (workdir / ".dlt" / "config.toml").write_text(
        '[destination.duckdb.credentials]\nglobal_config = { memory_limit = "64MB" }\n'
    )
    env = lac_env(sandbox, workdir)
    del env["DESTINATION__DUCKDB__CREDENTIALS"]
    result = run_lac(["run"], env, workdir)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "lac: error: config.toml cannot hold destination.duckdb.credentials (dlt treats credentials as "
        "secrets): move it to .dlt/secrets.toml or set DESTINATION__DUCKDB__CREDENTIALS"
    ]
    assert sorted(p.name for p in workdir.iterdir()) == [".dlt"]
