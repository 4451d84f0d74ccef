{#- One row per company, month and P&L account with rows in that month; ytd = fiscal year to date. -#}
with monthly as (
    select
        source_system,
        customer_id,
        fiscal_year,
        fiscal_period,
        period,
        account_code,
        max(account_name) as account_name,
        account_section,
        sum(net_cents) as net_cents,
        count(*) as row_count
    from {{ ref('mart_general_ledger') }}
    where account_section in ('revenue', 'expenses')
    group by source_system, customer_id, fiscal_year, fiscal_period, period, account_code, account_section
), with_ytd as (
    select
        monthly.*,
        sum(net_cents) over (
            partition by source_system, customer_id, account_code, fiscal_year order by fiscal_period
            rows between unbounded preceding and current row
        ) as ytd_net_cents
    from monthly
)
select
    source_system,
    customer_id,
    fiscal_year,
    fiscal_period,
    period,
    account_code,
    account_name,
    account_section,
    cast(row_count as bigint) as row_count,
    cast(net_cents as bigint) as net_cents,
    {{ lac_euros('net_cents') }} as net,
    cast(ytd_net_cents as bigint) as ytd_net_cents,
    {{ lac_euros('ytd_net_cents') }} as ytd_net
from with_ytd
