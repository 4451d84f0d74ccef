"""Run one contender in this process and print one JSON line (`BENCH_RESULT {...}`).

`python -m benchmarks.run_one <contender> <workload> '<spec json>'` (contender `transforms`: ours'
dbt build on the dataset ours loaded, `benchmarks/transforms.py`); the parent (`__main__`)
starts one such child per measurement, in an empty working folder of its own (no `.dlt/`
config applies: the defaults in code do), so that `ru_maxrss` and the CPU time are its own (and its
subprocesses': the transforms' dbt runs in one).
With `"profile": "<path prefix>"` in the spec the run is sampled by pyinstrument (written to
`<prefix>.txt`) and the process RSS is logged every 0.2 s with the `lac` progress lines
(`<prefix>.rss.log`), which shows in which phase (extract, normalize, load) memory peaks.
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.workloads import LEDGERLOU_WORKLOADS

MARKER = "BENCH_RESULT "


def contender_runner(name: str, workload: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    if name == "ours" and workload in LEDGERLOU_WORKLOADS:
        from benchmarks import ours_ledgerlou

        return ours_ledgerlou.run
    if name == "ours":
        from benchmarks import ours

        return ours.run
    if name == "baseline":
        from benchmarks import baseline

        return baseline.run
    if name == "lower":
        from benchmarks import lower

        return lower.run
    if name == "minimal":
        from benchmarks import minimal

        return minimal.run
    if name == "transforms":
        from benchmarks import transforms

        return transforms.run
    raise SystemExit(f"unknown contender {name!r}: ours, baseline, lower, minimal or transforms")


def _cpu_seconds() -> float:
    """User + system CPU time of this process (all threads) and of the subprocesses it waited for
    (the transforms' dbt runs in one)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_rss_kib() -> int:
    """The larger of this process's peak RSS and that of its largest waited-for subprocess."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return max(own.ru_maxrss, children.ru_maxrss)  # KiB on Linux


def _rss_mib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


def profiled(runner: Callable[[dict[str, Any]], dict[str, Any]], spec: dict[str, Any]) -> dict[str, Any]:
    """`runner(spec)` under pyinstrument, with an RSS timeline interleaved with progress lines."""
    from pyinstrument import Profiler  # dev extra; only needed with --profile

    prefix = Path(spec["profile"])
    prefix.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    timeline = open(f"{prefix}.rss.log", "w")  # noqa: SIM115 - closed below, shared with a thread
    handler = logging.StreamHandler(timeline)
    handler.setFormatter(logging.Formatter("%(relativeCreated)9.0f ms  %(message)s"))
    logging.getLogger("lac").addHandler(handler)
    logging.getLogger("lac").setLevel(logging.INFO)
    done = threading.Event()

    def sample() -> None:
        last = -100
        while not done.wait(0.2):
            rss = _rss_mib()
            if abs(rss - last) >= 10:
                timeline.write(f"{(time.monotonic() - started) * 1000:9.0f} ms  RSS {rss} MiB\n")
                last = rss

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    profiler = Profiler(interval=0.005, async_mode="disabled")
    profiler.start()
    try:
        return runner(spec)
    finally:
        profiler.stop()
        done.set()
        sampler.join()
        timeline.close()
        Path(f"{prefix}.txt").write_text(profiler.output_text(unicode=False, color=False))


def main(argv: list[str]) -> int:
    contender, workload, spec = argv[0], argv[1], json.loads(argv[2])
    runner = contender_runner(contender, workload)
    started, cpu_started = time.monotonic(), _cpu_seconds()  # after the imports, before the work
    result = profiled(runner, spec) if spec.get("profile") else runner(spec)
    seconds, cpu_seconds = time.monotonic() - started, _cpu_seconds() - cpu_started
    peak_kib = _peak_rss_kib()
    out = {
        "contender": contender,
        "workload": workload,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_rss_mib": peak_kib / 1024,
    }
    out.update(result)
    print(MARKER + json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
