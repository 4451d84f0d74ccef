{#- The ledger-line contract: one row per ledger row of every source system. Add a source by
    mapping it into these columns (`int_<source>__ledger_lines`) and a `union all` here.
    `ledger_model`: `single_sided` (LAC: every row a P&L posting settled through the bank) or
    `double_entry` (LedgerLou: journal lines, debit and credit per account). -#}
{%- set columns -%}
    source_system, customer_id, period, row_index, entry_date, account_code, account_name,
    account_section, description, counterparty, vat_code, vat_treatment, vat_rate_basis_points,
    net_cents, vat_cents, gross_cents, debit_cents, credit_cents, cash_cents, ledger_model,
    posting_id, category, status
{%- endset %}
select {{ columns }}
from {{ ref('int_lac__ledger_lines') }}
union all
select {{ columns }}
from {{ ref('int_ledgerlou__ledger_lines') }}
