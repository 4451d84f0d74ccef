"""Measurements, the printed table and the target checks."""

from __future__ import annotations

from dataclasses import asdict, dataclass

MB = 1_000_000


@dataclass
class Measurement:
    """One contender on one workload; `requests` is what the sandbox served (its request log).

    `step` is `sync` (the run) or `transforms` (ours' dbt build on the loaded dataset afterwards, in a
    process of its own: never part of the sync's figures).
    """

    workload: str
    contender: str
    destination: str
    seconds: float
    requests: int
    rows: int
    peak_rss_mb: float
    cpu_seconds: float = 0.0
    shape: str = "flat"
    row_by_row: int | None = None  # ours: sheet rows dlt's normalizer handled row by row
    note: str = ""
    step: str = "sync"

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict:
        return {**asdict(self), "rows_per_s": self.rows_per_s}


def find(
    results: list[Measurement],
    workload: str,
    contender: str,
    destination: str | None = None,
    shape: str = "flat",
    step: str = "sync",
) -> Measurement | None:
    destination = destination or ("-" if contender in ("lower", "minimal") else "duckdb")
    key = (workload, contender, destination, shape, step)
    for m in results:
        if (m.workload, m.contender, m.destination, m.shape, m.step) == key:
            return m
    return None


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b <= 0:
        return ""
    return f"{a / b:.2f}"


def table(results: list[Measurement]) -> str:
    """A Markdown table; ratios (wall time) are on ours' DuckDB sync rows; a transforms row reads
    `ours: transforms`."""
    head = (
        "| workload | shape | contender | destination | wall s | CPU s | requests | rows | rows/s "
        "| peak RSS MB | row-by-row rows | ours/baseline | ours/lower | ours/minimal |\n"
        "|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
    )
    lines = [head]
    for m in results:
        vs = ["", "", ""]
        if m.contender == "ours" and m.step == "sync":
            for i, other in enumerate(("baseline", "lower", "minimal")):
                found = find(results, m.workload, other, shape=m.shape)
                vs[i] = _ratio(m.seconds, found.seconds if found else None)
        step = "" if m.step == "sync" else f": {m.step}"
        contender = m.contender + step + (f" ({m.note})" if m.note else "")
        row_by_row = "" if m.row_by_row is None else f"{m.row_by_row:,}"
        lines.append(
            f"| {m.workload} | {m.shape} | {contender} | {m.destination} | {m.seconds:.1f} | "
            f"{m.cpu_seconds:.1f} | {m.requests:,} | {m.rows:,} | {m.rows_per_s:,.0f} | "
            f"{m.peak_rss_mb:.0f} | {row_by_row} | {vs[0]} | {vs[1]} | {vs[2]} |"
        )
    return "\n".join(lines)


def targets(results: list[Measurement]) -> list[str]:
    """The targets of docs/performance.md, evaluated on what was measured (skipped without inputs)."""
    out: list[str] = []

    def check(name: str, ok: bool, detail: str) -> None:
        out.append(f"- [{'met' if ok else 'MISSED'}] {name}: {detail}")

    for shape in sorted({m.shape for m in results}):
        ours2, base2 = find(results, "W2", "ours", shape=shape), find(results, "W2", "baseline", shape=shape)
        min2 = find(results, "W2", "minimal", shape=shape)
        if ours2 and min2:
            ratio = ours2.seconds / min2.seconds
            check(f"W2 ({shape}) ours within 1.5x of minimal", ratio <= 1.5, f"{ratio:.2f}x")
        if ours2 and base2:
            speedup = base2.seconds / ours2.seconds
            check(f"W2 ({shape}) ours >= 6x faster than baseline", speedup >= 6, f"{speedup:.2f}x")
        ours1, min1 = find(results, "W1", "ours", shape=shape), find(results, "W1", "minimal", shape=shape)
        if ours1 and min1:
            ratio = ours1.seconds / min1.seconds
            check(f"W1 ({shape}) ours within 2x of minimal", ratio <= 2, f"{ratio:.2f}x")
    ours1, ours3 = find(results, "W1", "ours"), find(results, "W3", "ours")
    if ours1 and ours3:
        req = ours3.requests / ours1.requests
        detail = f"{ours3.requests} / {ours1.requests} = {req:.1%}"
        check("W3 requests <= 2 % of W1's", req <= 0.02, detail)
        sec = ours3.seconds / ours1.seconds
        check(
            "W3 time <= 10 % of W1's",
            sec <= 0.10,
            f"{ours3.seconds:.1f} s / {ours1.seconds:.1f} s = {sec:.1%}",
        )
    for shape in sorted({m.shape for m in results}):
        ours5, ours1 = find(results, "W5", "ours", shape=shape), find(results, "W1", "ours", shape=shape)
        if ours5:
            check(f"W5 ({shape}) peak RSS <= 300 MB", ours5.peak_rss_mb <= 300, f"{ours5.peak_rss_mb:.0f} MB")
        if ours5 and ours1:
            ratio = ours5.seconds / ours1.seconds
            check(
                f"W5 ({shape}) time <= 3x W1's",
                ratio <= 3,
                f"{ours5.seconds:.1f} s / {ours1.seconds:.1f} s = {ratio:.2f}x",
            )
    return out
