"""`lac ...` that SIGKILLs itself at one point of a run: `python crash_run.py <point> run [flags]`.

No production hooks: the step at `<point>` is monkeypatched to kill the process there.

- `extract`: on the first sheet request after the fingerprint probes (a page after the first, or
  a month read unpaginated), when other months are mid-flight;
- `normalize`: after the normalizer wrote the new load package's files, before it commits them;
- `load`: right after the 3rd load job of the main package ran, before dlt records it as done
  (the rest not yet loaded);
- `transforms`: when the SQL transforms start (data and coverage already loaded);
- `download`: after the first chunk of a file download was written to its temporary file.
"""

import os
import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _die() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _patch_extract() -> None:
    from lac_source import planner

    original = planner.fetch_sheet_page

    def fetch(session, customer_id, tab, period, offset, limit=planner.SHEET_PAGE_LIMIT):
        if offset > 0 or limit == 0:
            _die()
        return original(session, customer_id, tab, period, offset, limit)

    planner.fetch_sheet_page = fetch


def _patch_normalize() -> None:
    from dlt.normalize.normalize import Normalize

    original = Normalize.spool_files

    def spool_files(self, load_id, schema, map_f, files):
        def mapped(*args, **kwargs):
            result = map_f(*args, **kwargs)
            _die()
            return result

        return original(self, load_id, schema, mapped, files)

    Normalize.spool_files = spool_files


def _patch_load() -> None:
    from dlt.common.destination.client import RunnableLoadJob

    original = RunnableLoadJob.run_managed
    ran = [0]

    def run_managed(self, job_client, done_event, /):
        original(self, job_client, done_event)
        ran[0] += 1
        if ran[0] == 3:  # the job's data is in the destination, dlt has not recorded it as done
            _die()

    RunnableLoadJob.run_managed = run_managed


def _patch_transforms() -> None:
    import lac_connector.transform

    def run_transforms(*args, **kwargs):
        _die()

    lac_connector.transform.run_transforms = run_transforms


def _patch_download() -> None:
    from lac_connector.kit import landing
    from lac_connector.kit.http import ApiClient

    landing.CHUNK_BYTES = 64
    original = ApiClient.stream
    lock = threading.Lock()

    def stream(self, *args, **kwargs):
        context = original(self, *args, **kwargs)

        class Killing:
            def __enter__(self_inner):
                response = context.__enter__()
                iter_bytes = response.iter_bytes

                def chunks(*a, **kw):
                    for i, chunk in enumerate(iter_bytes(*a, **kw)):
                        if i == 1:  # chunk 0 went to the temporary file
                            with lock:
                                _die()
                        yield chunk

                response.iter_bytes = chunks
                return response

            def __exit__(self_inner, *exc):
                return context.__exit__(*exc)

        return Killing()

    ApiClient.stream = stream


POINTS = {
    "extract": _patch_extract,
    "normalize": _patch_normalize,
    "load": _patch_load,
    "transforms": _patch_transforms,
    "download": _patch_download,
}


if __name__ == "__main__":
    point, *argv = sys.argv[1:]
    POINTS[point]()
    from lac_connector.cli import main

    sys.exit(main(argv))
