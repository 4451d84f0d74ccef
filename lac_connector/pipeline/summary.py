"""The summary `lac run` prints after a sync."""

from lac_connector.pipeline.runner import RunSummary


def print_summary(summary: RunSummary) -> None:
    loaded = {t: n for t, n in sorted(summary.row_counts.items()) if n}
    total_requests = sum(summary.requests.values())
    print(
        f"\nSynced in {summary.seconds:.1f} s with {total_requests} API requests"
        + (" (finished an interrupted run first)" if summary.resumed_pending else "")
    )
    print(f"{'table':<28} rows stored this run")
    for table, rows in loaded.items():
        print(f"  {table:<26} {rows:>10,}")
    client = summary.pipeline.destination.destination_name
    print(f"\nDataset {summary.pipeline.dataset_name!r} in {client}.")
