"""Measurements, the printed table and the target checks."""

from __future__ import annotations

from dataclasses import asdict, dataclass

MB = 1_000_000


@dataclass
class Measurement:
    """One contender on one workload; `requests` is what the sandbox served (its request log)."""

    workload: str
    contender: str
    destination: str
    seconds: float
    requests: int
    rows: int
    peak_rss_mb: float
    note: str = ""

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict:
        return {**asdict(self), "rows_per_s": self.rows_per_s}


def find(results: list[Measurement], workload: str, contender: str, destination: str = "duckdb"):
    for m in results:
        if m.workload == workload and m.contender == contender and m.destination == destination:
            return m
    return None


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b <= 0:
        return ""
    return f"{a / b:.2f}"


def table(results: list[Measurement]) -> str:
    """A Markdown table; ratios (wall time) are on ours' DuckDB rows."""
    head = (
        "| workload | contender | destination | wall s | requests | rows | rows/s | peak RSS MB "
        "| ours/baseline | ours/lower |\n|---|---|---|--:|--:|--:|--:|--:|--:|--:|"
    )
    lines = [head]
    for m in results:
        vs_base = vs_lower = ""
        if m.contender == "ours":
            base, low = find(results, m.workload, "baseline"), find(results, m.workload, "lower", "-")
            vs_base = _ratio(m.seconds, base.seconds if base else None)
            vs_lower = _ratio(m.seconds, low.seconds if low else None)
        contender = m.contender + (f" ({m.note})" if m.note else "")
        lines.append(
            f"| {m.workload} | {contender} | {m.destination} | {m.seconds:.1f} | {m.requests:,} | "
            f"{m.rows:,} | {m.rows_per_s:,.0f} | {m.peak_rss_mb:.0f} | {vs_base} | {vs_lower} |"
        )
    return "\n".join(lines)


def targets(results: list[Measurement]) -> list[str]:
    """The issue's targets, evaluated on what was measured (skipped when an input is missing)."""
    out: list[str] = []

    def check(name: str, ok: bool, detail: str) -> None:
        out.append(f"- [{'met' if ok else 'MISSED'}] {name}: {detail}")

    ours2, base2, low2 = (
        find(results, "W2", "ours"),
        find(results, "W2", "baseline"),
        find(results, "W2", "lower", "-"),
    )
    if ours2 and base2:
        speedup = base2.seconds / ours2.seconds
        check("W2 ours >= 3x faster than baseline", speedup >= 3, f"{speedup:.2f}x")
    if ours2 and low2:
        ratio = ours2.seconds / low2.seconds
        check("W2 ours within 1.5x of the lower bound", ratio <= 1.5, f"{ratio:.2f}x")
    ours1, ours3 = find(results, "W1", "ours"), find(results, "W3", "ours")
    if ours1 and ours3:
        req = ours3.requests / ours1.requests
        detail = f"{ours3.requests} / {ours1.requests} = {req:.1%}"
        check("W3 requests <= 5 % of W1's", req <= 0.05, detail)
        sec = ours3.seconds / ours1.seconds
        check(
            "W3 time <= 10 % of W1's",
            sec <= 0.10,
            f"{ours3.seconds:.1f} s / {ours1.seconds:.1f} s = {sec:.1%}",
        )
    ours5 = find(results, "W5", "ours")
    if ours5:
        check("W5 peak RSS < 400 MB", ours5.peak_rss_mb < 400, f"{ours5.peak_rss_mb:.0f} MB")
        if ours1:
            ratio = ours5.peak_rss_mb / ours1.peak_rss_mb
            check(
                "W5 peak RSS <= 1.3x W1's",
                ratio <= 1.3,
                f"{ours5.peak_rss_mb:.0f} / {ours1.peak_rss_mb:.0f} MB = {ratio:.2f}x",
            )
    return out
