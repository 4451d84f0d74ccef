{#- The API's own statements (expected) against the ledger marts (actual), per company and month:
    `income_statement` per account (`mart_profit_and_loss`), `balance_sheet` per account
    (`mart_balance_sheet`), `cashflow` per line (`mart_monthly_trend`: opening_cash, cash_in,
    cash_out, closing_cash). A double-entry ledger's balance sheet has one line without account, the
    undistributed result (`result`). Only months for which the API returned that statement are compared;
    within them a line missing on one side counts as zero. -#}
with expected as (
    select
        source_system,
        customer_id,
        period,
        statement_kind as check_name,
        {{ lac_statement_line_key() }} as line_key,
        sum(amount_cents) as amount_cents
    from {{ ref('int_statement_lines') }}
    where statement_kind in ('income_statement', 'balance_sheet', 'cashflow')
    group by source_system, customer_id, period, statement_kind, {{ lac_statement_line_key() }}
), compared as (
    select distinct source_system, customer_id, period, check_name from expected
), ledger as (
    select source_system, customer_id, period, 'income_statement' as check_name, account_code as line_key,
        net_cents as amount_cents
    from {{ ref('mart_profit_and_loss') }}
    union all
    select source_system, customer_id, period, 'balance_sheet', coalesce(account_code, 'result'), amount_cents
    from {{ ref('mart_balance_sheet') }}
    union all
    select source_system, customer_id, period, 'cashflow', 'opening_cash', opening_cash_cents
    from {{ ref('mart_monthly_trend') }}
    union all
    select source_system, customer_id, period, 'cashflow', 'cash_in', cash_in_cents
    from {{ ref('mart_monthly_trend') }}
    union all
    select source_system, customer_id, period, 'cashflow', 'cash_out', cash_out_cents
    from {{ ref('mart_monthly_trend') }}
    union all
    select source_system, customer_id, period, 'cashflow', 'closing_cash', closing_cash_cents
    from {{ ref('mart_monthly_trend') }}
), actual as (
    select l.*
    from ledger as l
    join compared as c
        on c.source_system = l.source_system and c.customer_id = l.customer_id
        and c.period = l.period and c.check_name = l.check_name
)
select
    coalesce(e.source_system, a.source_system) as source_system,
    coalesce(e.customer_id, a.customer_id) as customer_id,
    coalesce(e.period, a.period) as period,
    coalesce(e.check_name, a.check_name) as check_name,
    coalesce(e.line_key, a.line_key) as line_key,
    cast(coalesce(e.amount_cents, 0) as bigint) as expected_cents,
    cast(coalesce(a.amount_cents, 0) as bigint) as actual_cents
from expected as e
full outer join actual as a
    on a.source_system = e.source_system and a.customer_id = e.customer_id and a.period = e.period
    and a.check_name = e.check_name and a.line_key = e.line_key
