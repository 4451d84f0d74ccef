{#- One row per ledger row (LAC books row, LedgerLou journal line), with fiscal and VAT period and
    the account's section. Double-entry rows carry their debit and credit; net = gross = credit - debit. -#}
select
    l.source_system,
    l.customer_id,
    l.period,
    l.entry_date,
    p.fiscal_year,
    p.fiscal_period,
    p.vat_period,
    l.row_index,
    l.account_code,
    l.account_name,
    l.account_section,
    l.vat_code,
    l.vat_rate_basis_points,
    {{ lac_percent('l.vat_rate_basis_points') }} as vat_rate_percent,
    l.description,
    l.counterparty,
    l.category,
    l.status,
    l.net_cents,
    l.vat_cents,
    l.gross_cents,
    {{ lac_euros('l.net_cents') }} as net,
    {{ lac_euros('l.vat_cents') }} as vat,
    {{ lac_euros('l.gross_cents') }} as gross,
    l.debit_cents,
    l.credit_cents,
    l.cash_cents,
    l.ledger_model,
    l.posting_id
from {{ ref('int_ledger_lines') }} as l
join {{ ref('int_periods') }} as p
    on p.source_system = l.source_system and p.customer_id = l.customer_id and p.period = l.period
