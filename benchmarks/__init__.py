"""Benchmarks of the LAC connector against dlt's generic `rest_api_source` and a lower bound.

`python -m benchmarks` (or `make bench`) runs the workloads of `workloads.py` against a sandbox
served from its own process (`sandbox_proc.py`); every contender runs in its own child process
(`run_one.py`) so that its peak RSS is its own. See docs/benchmarks.md.
"""
