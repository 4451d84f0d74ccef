"""How the LAC source keys the lists it reads: one `KeyRule` per list, and its `[sources.lac]` setting.

The spec fixes few key fields (`id` on invoices and parties); everything else in list entries is
"returned as-is". So each list names its conventional key fields (`id`, the path parameter it
feeds, ...) and one setting that overrides them; `lac_connector.kit.keys` does the rest (see
docs/keys.md).
"""

from collections.abc import Mapping
from typing import Any

import dlt

from lac_connector.kit.keys import Keyed, KeyResolver, KeyRule, Probe
from lac_connector.kit.records import fingerprint
from lac_connector.kit.report import RunReport

SECTION = "[sources.lac]"
# Entries often repeat the company they belong to: never a key of the entry.
NOT_KEYS = frozenset({"customer_id"})


def short_hash(entry: dict[str, Any]) -> str:
    """16 hex of the entry's hash: the fallback key registers had before key resolution existed."""
    return fingerprint(entry)[:16]


UPLOADS = KeyRule(
    "uploads",
    "upload_name_field",
    ("filename", "stored_filename", "name", "id"),
    describes="names the file of",
    file_names=True,
    ignore=NOT_KEYS,
)
OUTPUT_PACKAGES = KeyRule("output packages", "output_id_field", ("output_id", "id"), ignore=NOT_KEYS)
IMPORT_RUNS = KeyRule("import runs", "import_run_id_field", ("run_id", "id"), ignore=NOT_KEYS)
INVOICES = KeyRule("invoices", "invoice_id_field", ("id", "invoice_id"), ignore=NOT_KEYS)
TEMPLATES = KeyRule(
    "recurring templates", "template_id_field", ("template_id", "id"), ignore=NOT_KEYS, hash_key=short_hash
)
MESSAGES = KeyRule("messages", "message_id_field", ("id", "message_id"), ignore=NOT_KEYS)
PARTIES = KeyRule(
    "invoice customers", "party_id_field", ("id", "party_id"), ignore=NOT_KEYS, hash_key=short_hash
)
CONNECTIONS = KeyRule("connections", "connection_id_field", ("connection_id", "id"), ignore=NOT_KEYS)
EMPLOYEES = KeyRule("payroll employees", "employee_id_field", ("employee_id", "id"), ignore=NOT_KEYS)
PAYROLL_RUNS = KeyRule("payroll runs", "payroll_run_id_field", ("run_id", "id"), ignore=NOT_KEYS)

RULES = (
    UPLOADS,
    OUTPUT_PACKAGES,
    IMPORT_RUNS,
    INVOICES,
    TEMPLATES,
    MESSAGES,
    PARTIES,
    CONNECTIONS,
    EMPLOYEES,
    PAYROLL_RUNS,
)
SETTINGS = tuple(rule.setting for rule in RULES)


class ListKeys:
    """The key settings of one run, applied per company in the calling resource's state."""

    def __init__(self, report: RunReport, settings: Mapping[str, str | None] | None = None) -> None:
        self.resolver = KeyResolver(report, settings or {}, SECTION)

    def resolve(
        self,
        rule: KeyRule,
        entries: list[dict[str, Any]],
        customer_id: str,
        *,
        resource: str,
        probe: Probe | None = None,
    ) -> Keyed:
        return self.resolver.resolve(
            rule,
            entries,
            resource=resource,
            scope=customer_id,
            scope_label=f"company {customer_id}",
            state=dlt.current.resource_state(),
            probe=probe,
        )
