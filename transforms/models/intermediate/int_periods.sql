{#- One row per company and month with ledger rows: calendar, fiscal and VAT period.
    fiscal_year = the calendar year in which the fiscal year ENDS (FY 2025-07..2026-06 is 2026);
    fiscal_period = month number within the fiscal year (1 = the fiscal_year_start_month);
    vat_period = `YYYY-MM` (monthly), `YYYY-Qn` (quarterly), `YYYY` (yearly), as in `filings`.
    A company without a profile row (or fields) counts as calendar fiscal year, monthly VAT. -#}
with months as (
    select distinct source_system, customer_id, period from {{ ref('int_ledger_lines') }}
), parts as (
    select
        m.source_system,
        m.customer_id,
        m.period,
        cast(substr(m.period, 1, 4) as integer) as year_number,
        cast(substr(m.period, 6, 2) as integer) as month_number,
        coalesce(c.fiscal_year_start_month, 1) as fy_start_month,
        coalesce(c.vat_period_months, 1) as vat_period_months
    from months as m
    left join {{ ref('int_companies') }} as c
        on c.source_system = m.source_system and c.customer_id = m.customer_id
)
select
    source_system,
    customer_id,
    period,
    year_number,
    month_number,
    fy_start_month,
    vat_period_months,
    case when fy_start_month = 1 or month_number < fy_start_month then year_number else year_number + 1 end
        as fiscal_year,
    case when month_number >= fy_start_month then month_number - fy_start_month + 1
        else month_number - fy_start_month + 13 end as fiscal_period,
    case
        when vat_period_months = 12 then substr(period, 1, 4)
        when vat_period_months = 3 then substr(period, 1, 4) || '-Q' || cast(
            case when month_number <= 3 then 1 when month_number <= 6 then 2 when month_number <= 9 then 3 else 4 end
            as varchar)
        when vat_period_months = 1 then period
        else substr(period, 1, 5)
            || lpad(cast(month_number - (month_number - 1) % vat_period_months as varchar), 2, '0')
    end as vat_period
from parts
