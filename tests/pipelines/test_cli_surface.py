"""What the `lac` command shows without syncing: help, version, progress lines, DuckDB settings."""

import argparse
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from lac_connector import cli
from lac_connector.kit.progress import Progress
from lac_connector.kit.version import PACKAGE_VERSION

LAC = Path(sys.executable).with_name("lac")
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("SOURCES__", "DESTINATION__", "DLT_"))}


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_flag_of_every_command_has_a_help_line():
    parser = cli.build_parser()
    commands = subcommands(parser)
    assert set(commands) == {"run", "status", "transform", "dashboard", "demo", "sandbox"}
    missing = [
        f"lac {name} {'/'.join(action.option_strings)}"
        for name, sub in commands.items()
        if name != "sandbox"  # `lac sandbox` hands its arguments to the sandbox's own parser
        for action in sub._actions
        if action.option_strings and not (action.help and action.help != argparse.SUPPRESS)
    ]
    assert missing == []
    assert all(a.help for a in parser._actions if a.option_strings)


def test_version_and_bare_lac():
    version = subprocess.run([str(LAC), "--version"], capture_output=True, text=True, env=CLEAN_ENV)
    assert version.returncode == 0
    assert version.stdout.strip().startswith(f"lac {PACKAGE_VERSION} (dlt ")
    bare = subprocess.run([str(LAC)], capture_output=True, text=True, env=CLEAN_ENV)
    assert bare.returncode == 2
    assert bare.stdout.startswith("usage: lac ") and "status" in bare.stdout and bare.stderr == ""


def test_the_command_imports_a_source_package_only_when_a_run_opens_it():
    """`lac --help`, `lac status` and `lac transform` start without the LAC source's pyarrow and pandas."""
    heavy = "('lac_source', 'ledgerlou_source', 'pyarrow', 'pandas')"
    loaded = f"print(sorted(m for m in {heavy} if m in sys.modules))"

    def modules_after(statement: str) -> str:
        code = f"import sys, lac_connector.cli; {statement}; {loaded}"
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=CLEAN_ENV)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert modules_after("pass") == "[]"
    assert modules_after("lac_connector.cli.source_opener('lac')") == "['lac_source', 'pandas', 'pyarrow']"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def progress_output(stream: io.StringIO) -> str:
    """What the `lac` command's handler writes for a run's progress, on `stream`."""
    logger = logging.getLogger("lac")
    saved = logger.handlers[:], logger.level, logger.propagate
    logger.handlers[:], logger.propagate = [cli.ProgressHandler(stream)], False
    logger.setLevel(logging.INFO)
    try:
        progress = Progress(every_s=0)
        progress.planned("cust_a", ["2026-08", "2026-09", "2026-10", "2026-11"], 3)
        progress.add_rows("books_rows", 200)
        progress.add_rows("vat_rows", 150)
        progress.finish()
    finally:
        logger.handlers[:], logger.level, logger.propagate = saved[0], saved[1], saved[2]
    return stream.getvalue()


def test_progress_redraws_one_line_on_a_terminal():
    assert progress_output(Terminal()) == (
        "lac: cust_a: 4 month(s) 2026-08..2026-11 planned, 3 to re-sync, 1 up to date\n"
        "\rlac: rows so far: books_rows 200\x1b[K"
        "\rlac: rows so far: books_rows 200, vat_rows 150\x1b[K"
        "\r\x1b[Klac: rows extracted: books_rows 200, vat_rows 150\n"
    )


def test_progress_is_plain_lines_elsewhere():
    assert progress_output(io.StringIO()) == (
        "lac: cust_a: 4 month(s) 2026-08..2026-11 planned, 3 to re-sync, 1 up to date\n"
        "lac: rows so far: books_rows 200\n"  # the next one within PLAIN_PROGRESS_EVERY_S is left out
        "lac: rows extracted: books_rows 200, vat_rows 150\n"
    )


SETTINGS_SNIPPET = """
import json
from lac_connector.pipeline.runner import RunOptions, open_pipeline
pipeline = open_pipeline(RunOptions(pipelines_dir="state"))
with pipeline.sql_client() as client:
    row = client.execute_sql(
        "select current_setting('memory_limit'), current_setting('threads'), "
        "current_setting('preserve_insertion_order'), current_database()"
    )[0]
print(json.dumps([*row, pipeline.destination_client().config.credentials.database]))
"""


def duckdb_memory_limit(value: str) -> str:
    """How DuckDB itself shows a memory limit of `value`."""
    with duckdb.connect() as con:
        con.execute(f"set memory_limit = '{value}'")
        return con.execute("select current_setting('memory_limit')").fetchall()[0][0]


@pytest.mark.parametrize(
    ("env", "memory_limit", "threads"),
    [
        ({}, "96MB", 1),
        ({"DESTINATION__DUCKDB__CREDENTIALS__GLOBAL_CONFIG": '{"memory_limit": "200MB"}'}, "200MB", 1),
        ({"DESTINATION__DUCKDB__CREDENTIALS__GLOBAL_CONFIG": '{"threads": 2}'}, "96MB", 2),
    ],
    ids=["defaults", "memory-overridden", "threads-overridden"],
)
def test_duckdb_settings_hold_wherever_lac_starts(tmp_path, env, memory_limit, threads):
    """Started in a folder without any .dlt/: the defaults come from code, each key overridable."""
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS_SNIPPET],
        cwd=tmp_path,
        env={**CLEAN_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    memory, used_threads, insertion_order, catalog, database = json.loads(result.stdout)
    assert (memory, int(used_threads), insertion_order) == (duckdb_memory_limit(memory_limit), threads, False)
    assert (catalog, database) == ("lac", str(tmp_path / "lac.duckdb"))
