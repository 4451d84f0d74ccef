"""The no-change path: re-run the checks of the last build without starting dbt.

When neither the loaded schema, the project, the mapping nor the settings changed since the last
build, every view is still valid and so is the SQL dbt compiled for it. Only the data moved, so
only what holds data is redone, from `target/manifest.json` of that build: the table models
(`project.TABLE_MODELS`: the ledger and statement lines, the checks, then `reconciliation_checks`)
are refilled in that order (DELETE + INSERT of their compiled SELECT, in one transaction), and
every data test's compiled query is counted, as dbt does (`count(*)` of the failing rows; any row
fails the test at its configured severity). This takes a fraction of a second where starting dbt
takes seconds.
"""

from collections.abc import Mapping
from typing import Any

from lac_connector.transform.dbt import NodeResult
from lac_connector.transform.project import TABLE_MODELS


def rerun_checks(client: Any, manifest: Mapping[str, Any]) -> list[NodeResult]:
    """Refill the table models and run every data test (their results); raises if SQL is missing."""
    nodes = manifest["nodes"]
    results: list[NodeResult] = []
    tables = sorted(
        (n for n in nodes.values() if n["resource_type"] == "model" and n["name"] in TABLE_MODELS),
        key=lambda n: TABLE_MODELS.index(n["name"]),
    )
    if len(tables) != len(TABLE_MODELS):
        raise LookupError("the manifest lacks a table model")
    with client.begin_transaction():
        if manifest["metadata"].get("adapter_type") == "postgres":
            client.execute_sql("SET LOCAL jit = off")  # as the model's pre-hook does (lac_no_jit)
        for node in tables:
            client.execute_sql(f"DELETE FROM {node['relation_name']}")
            client.execute_sql(f"INSERT INTO {node['relation_name']} {_compiled(node)}")
    for node in nodes.values():
        if node["resource_type"] != "test":
            continue
        failures = int(
            client.execute_sql(f"SELECT COUNT(*) FROM ({_compiled(node)}) AS dbt_internal_test")[0][0]
        )
        severity = str(node["config"].get("severity", "error")).lower()
        status = "pass" if failures == 0 else ("warn" if severity == "warn" else "fail")
        message = (
            f"Got {failures} result{'s' if failures != 1 else ''}, configured to {severity}"
            if failures
            else ""
        )
        results.append(NodeResult(node["unique_id"], node["name"], "test", status, failures, message))
    return results


def _compiled(node: Mapping[str, Any]) -> str:
    code = node.get("compiled_code")
    if not code:
        raise LookupError(f"{node['unique_id']} was not compiled in the last build")
    return str(code).strip().rstrip(";")
