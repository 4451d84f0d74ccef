"""A DuckDB file shared with readers: keep it open while working, wait while another process reads it.

DuckDB lets one process write a file or several read it, not both. Readers (`lac dashboard`, a
duckdb shell) hold the file briefly, so every write-open of a run (the load, the transforms' own
queries, the dbt subprocess) waits for them for up to `LOCK_WAIT_S` before the run fails with one
line saying why. Between those opens the file is free, so readers never wait for a whole run.
"""

import logging
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import dlt

from lac_connector.kit.errors import ConnectorError

logger = logging.getLogger("lac")

LOCK_WAIT_S = 30.0
LOCK_POLL_S = 0.2
# DuckDB's message when another process holds the file ("IO Error: Could not set lock on file").
LOCK_MESSAGE = "could not set lock on file"


def is_locked_out(text: str) -> bool:
    """Whether an error text is DuckDB refusing a file another process holds."""
    return LOCK_MESSAGE in text.lower()


class LockWait:
    """Retries of one open while another process holds the file, until `wait_s` has passed."""

    def __init__(self, wait_s: float = LOCK_WAIT_S) -> None:
        self.deadline = time.monotonic() + wait_s
        self.wait_s = wait_s
        self.announced = False

    def pause(self, error_text: str) -> None:
        """Wait before the next attempt, or raise once the file was held for longer than `wait_s`."""
        if time.monotonic() >= self.deadline:
            last_line = error_text.strip().splitlines()[-1].strip() if error_text.strip() else ""
            raise ConnectorError(
                f"the DuckDB file is in use by another process for more than {self.wait_s:.0f} s "
                f"({last_line}): close it (a duckdb shell, a notebook) or run again"
            )
        if not self.announced:
            logger.info("waiting for the DuckDB file: another process is reading it")
            self.announced = True
        time.sleep(LOCK_POLL_S)


@contextmanager
def kept_open(pipeline: dlt.Pipeline, wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """Keep the pipeline's embedded DuckDB database open inside the block (no-op elsewhere).

    dlt opens the destination for each step, load job and query and closes it after. For DuckDB
    that means reloading the catalog on every open, a checkpoint on every close (measured: over a
    second of a 3.4 s incremental run) and, with a reader about, a chance to find the file held.
    While one connection stays open, dlt's later opens borrow it.
    """
    if pipeline.destination.destination_name != "duckdb":
        yield
        return
    with ExitStack() as stack:
        wait = LockWait(wait_s)
        while True:
            try:
                stack.enter_context(pipeline.sql_client())
                break
            except Exception as exc:
                if not is_locked_out(str(exc)):
                    raise
                wait.pause(str(exc))
        yield
