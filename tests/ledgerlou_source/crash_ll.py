"""`lac ...` that SIGKILLs itself at one point of a LedgerLou run: `python crash_ll.py <point> run ...`.

No production hooks: the step at `<point>` is monkeypatched to kill the process there.

- `extract`: when the journal reader starts its third month (earlier months and other tables are
  mid-flight, documents partly landed);
- `normalize`, `load`: as in tests/reliability/crash_run.py (after the normalizer wrote the new
  package's files / right after the 3rd load job ran, before dlt records it as done).
"""

import os
import signal
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(REPO / "tests")]


def _die() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _patch_extract() -> None:
    from ledgerlou_source.journal import JournalReader

    original = JournalReader.read_month
    calls, lock = [0], threading.Lock()

    def read_month(self, period, first, last):
        with lock:
            calls[0] += 1
            if calls[0] == 3:
                _die()
        return original(self, period, first, last)

    JournalReader.read_month = read_month


def _points() -> dict:
    from reliability.crash_run import POINTS

    return {"extract": _patch_extract, "normalize": POINTS["normalize"], "load": POINTS["load"]}


if __name__ == "__main__":
    point, *argv = sys.argv[1:]
    _points()[point]()
    from lac_connector.cli import main

    sys.exit(main(argv))
