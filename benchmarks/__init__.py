"""Benchmarks of the LAC connector against dlt's generic `rest_api_source` and lower bounds.

`python -m benchmarks` (or `make bench`) runs the workloads of `workloads.py` (LAC: W1..W5;
LedgerLou: L1) against a sandbox served from its own process (`sandbox_proc.py`); every contender,
and ours' transforms, runs in its own child process (`run_one.py`) so that its peak RSS is its
own. See docs/performance.md, "Benchmarks".
"""
