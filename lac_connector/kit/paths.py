"""Can a run write where it is told to? Checked before anything is written, without leaving a trace."""

import os
import tempfile
from pathlib import Path


def unwritable_reason(path: Path, *, is_file: bool = False) -> str | None:
    """Why nothing can be written at `path` (a folder, or with `is_file` a file), or None if it can.

    A path that does not exist yet counts as writable when its nearest existing ancestor is a
    folder in which a file can be created (tried with a temporary file that is removed at once:
    permission bits say nothing for root or read-only filesystems).
    """
    path = path.expanduser().absolute()
    if path.exists():
        if is_file:
            if not path.is_file():
                return "it exists and is not a file"
            if not os.access(path, os.W_OK):
                return "the file is read-only"
            folder = path.parent
        else:
            if not path.is_dir():
                return "it exists and is not a folder"
            folder = path
    else:
        folder = path.parent if is_file else path
        while not folder.exists():
            folder = folder.parent
        if not folder.is_dir():
            return f"{folder} is not a folder"
        if is_file and folder != path.parent:
            return f"its folder {path.parent} does not exist"
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".lac-write-check-"):
            pass
    except OSError as exc:
        return f"cannot create files in {folder} ({exc.strerror or exc})"
    return None
