"""One run per pipeline at a time: a file lock in the pipelines folder."""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lac_connector.kit.errors import ConfigError


@contextmanager
def pipeline_lock(pipelines_dir: str, pipeline_name: str) -> Iterator[None]:
    """Refuse a second concurrent run of the same pipeline instead of corrupting its state."""
    Path(pipelines_dir).mkdir(parents=True, exist_ok=True)
    lock_path = Path(pipelines_dir) / f".{pipeline_name}.lock"
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigError(
                f"another run of pipeline {pipeline_name!r} is in progress (lock {lock_path}); "
                "wait for it to finish or use a different --pipeline-name"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
