{#- One row per double-entry company (LedgerLou) and account with an opening balance: debit - credit
    before the first loaded month, implied by the API's own trial balance of that month
    (`int_statement_lines`, `statement_kind` `trial_balance`: closing balance since the first
    booking) minus the journal's movement in it; an account on one side only counts as zero on the
    other. No rows (openings zero) when the API returned no trial balance for the first loaded
    month, and when the journal is loaded from its first month the openings come out zero anyway.
    Single-sided ledgers (LAC) are anchored by `int_ledger_anchors`. The account's name, section
    and whether a bank account books on it come from the chart of accounts, so an account without
    a loaded journal line still has them. -#}
with first_month as (
    select source_system, customer_id, min(period) as period
    from {{ ref('int_ledger_lines') }}
    where ledger_model = 'double_entry'
    group by source_system, customer_id
), movement as (
    select l.source_system, l.customer_id, l.account_code, sum(l.debit_cents - l.credit_cents) as movement_cents
    from {{ ref('int_ledger_lines') }} as l
    join first_month as f
        on f.source_system = l.source_system and f.customer_id = l.customer_id and f.period = l.period
    where l.ledger_model = 'double_entry'
    group by l.source_system, l.customer_id, l.account_code
), reported as (
    select s.source_system, s.customer_id, s.account_code, sum(s.amount_cents) as closing_cents
    from {{ ref('int_statement_lines') }} as s
    join first_month as f
        on f.source_system = s.source_system and f.customer_id = s.customer_id and f.period = s.period
    where s.statement_kind = 'trial_balance'
    group by s.source_system, s.customer_id, s.account_code
), openings as (
    -- only companies the API returned a trial balance of the first loaded month for
    select
        f.source_system,
        f.customer_id,
        f.period as first_period,
        coalesce(r.account_code, m.account_code) as account_code,
        coalesce(r.closing_cents, 0) - coalesce(m.movement_cents, 0) as opening_cents
    from reported as r
    full outer join movement as m
        on m.source_system = r.source_system and m.customer_id = r.customer_id and m.account_code = r.account_code
    join first_month as f
        on f.source_system = coalesce(r.source_system, m.source_system)
        and f.customer_id = coalesce(r.customer_id, m.customer_id)
    where exists (
        select 1 from reported as x where x.source_system = f.source_system and x.customer_id = f.customer_id
    )
)
select
    o.source_system,
    o.customer_id,
    o.first_period,
    o.account_code,
    a.account_name,
    coalesce(a.account_section, 'other') as account_section,
    coalesce(a.is_cash, false) as is_cash,
    cast(o.opening_cents as bigint) as opening_cents
from openings as o
left join {{ ref('int_ledgerlou__accounts') }} as a
    on o.source_system = 'ledgerlou' and a.tenant_id = o.customer_id and a.account_number = o.account_code
where o.opening_cents <> 0
