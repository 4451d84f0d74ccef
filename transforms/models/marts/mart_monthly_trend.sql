{#- One row per company and month with ledger rows: revenue, expenses, result and cash. Cash starts
    at the opening cash of `int_ledger_anchors`; a row's cash movement is `cash_cents` (LAC: the
    row's gross, settled through the bank; LedgerLou: debit - credit on bank accounts' ledger
    accounts, so a transfer between two of them is both in and out). -#}
with monthly as (
    select
        source_system,
        customer_id,
        period,
        fiscal_year,
        fiscal_period,
        sum(case when account_section = 'revenue' then net_cents else 0 end) as revenue_cents,
        sum(case when account_section = 'expenses' then net_cents else 0 end) as expenses_cents,
        sum(case when cash_cents >= 0 then cash_cents else 0 end) as cash_in_cents,
        sum(case when cash_cents < 0 then cash_cents else 0 end) as cash_out_cents,
        sum(cash_cents) as net_cash_flow_cents,
        count(*) as row_count
    from {{ ref('mart_general_ledger') }}
    group by source_system, customer_id, period, fiscal_year, fiscal_period
), with_cash as (
    select
        monthly.*,
        a.opening_cash_cents + sum(net_cash_flow_cents) over (
            partition by monthly.source_system, monthly.customer_id order by period
            rows between unbounded preceding and current row
        ) as closing_cash_cents
    from monthly
    join {{ ref('int_ledger_anchors') }} as a
        on a.source_system = monthly.source_system and a.customer_id = monthly.customer_id
)
select
    source_system,
    customer_id,
    period,
    fiscal_year,
    fiscal_period,
    cast(row_count as bigint) as row_count,
    cast(revenue_cents as bigint) as revenue_cents,
    cast(expenses_cents as bigint) as expenses_cents,
    cast(revenue_cents + expenses_cents as bigint) as result_cents,
    cast(closing_cash_cents - net_cash_flow_cents as bigint) as opening_cash_cents,
    cast(cash_in_cents as bigint) as cash_in_cents,
    cast(cash_out_cents as bigint) as cash_out_cents,
    cast(closing_cash_cents as bigint) as closing_cash_cents,
    {{ lac_euros('revenue_cents') }} as revenue,
    {{ lac_euros('expenses_cents') }} as expenses,
    {{ lac_euros('revenue_cents + expenses_cents') }} as result,
    {{ lac_euros('closing_cash_cents') }} as closing_cash
from with_cash
