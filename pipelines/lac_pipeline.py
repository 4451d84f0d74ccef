"""Load LAC with plain dlt: the source as a library, without the `lac` command's extras.

    python pipelines/lac_pipeline.py

Reads `[sources.lac]` from `.dlt/` or `SOURCES__LAC__*` like `lac run`, loads every table into
DuckDB (`lac.duckdb`) and prints dlt's load info. `lac run` adds preflight checks, the run lock,
crash recovery, `sync_runs`/`sync_coverage` and the transforms (see README).
"""

import dlt

from lac_source import lac_source


def load_lac() -> None:
    pipeline = dlt.pipeline(pipeline_name="lac", destination="duckdb", dataset_name="lac_dataset")
    print(pipeline.run(lac_source()))


if __name__ == "__main__":
    load_lac()
