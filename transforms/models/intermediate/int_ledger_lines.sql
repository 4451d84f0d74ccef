{#- The ledger-line contract: one row per ledger row of every source system. Add a source by
    mapping it into these columns (e.g. `int_ledgerlou__ledger_lines`) and a `union all` here. -#}
select
    source_system, customer_id, period, row_index, entry_date, account_code, account_name,
    description, counterparty, vat_code, vat_treatment, vat_rate_basis_points, net_cents,
    vat_cents, gross_cents, category, status
from {{ ref('int_lac__ledger_lines') }}
