{#- One row per company, month (end-of-month balances) and balance account.
    Single-sided ledgers (LAC), accounts of `ref_balance_accounts`: the opening balance
    (`int_ledger_anchors`) plus the loaded ledger's cumulative movement: bank = cumulative gross,
    VAT payable = cumulative VAT, result of the fiscal year = this fiscal year's net, results of
    prior fiscal years = earlier fiscal years' net.
    Double-entry ledgers (LedgerLou): every account of the `assets` or `equity_and_liabilities`
    section with an opening balance or bookings so far, its opening balance
    (`int_ledger_account_anchors`) plus its cumulative debit - credit, on its natural side (assets
    debit - credit, the rest credit - debit), plus one line without account (`account_code` NULL,
    section `equity`) holding the result not yet distributed: the P&L accounts' openings and all
    P&L lines' credit - debit so far. -#}
with monthly as (
    select
        source_system,
        customer_id,
        period,
        fiscal_year,
        sum(net_cents) as net_cents,
        sum(vat_cents) as vat_cents,
        sum(gross_cents) as gross_cents
    from {{ ref('mart_general_ledger') }}
    where ledger_model = 'single_sided'
    group by source_system, customer_id, period, fiscal_year
), cumulative as (
    select
        p.source_system,
        p.customer_id,
        p.period,
        p.fiscal_year,
        p.fiscal_period,
        sum(m.gross_cents) as bank_cents,
        sum(m.vat_cents) as vat_payable_cents,
        sum(case when m.fiscal_year < p.fiscal_year then m.net_cents else 0 end) as prior_years_cents,
        sum(case when m.fiscal_year = p.fiscal_year then m.net_cents else 0 end) as current_year_cents
    from {{ ref('int_periods') }} as p
    join monthly as m
        on m.source_system = p.source_system and m.customer_id = p.customer_id and m.period <= p.period
    group by p.source_system, p.customer_id, p.period, p.fiscal_year, p.fiscal_period
), anchored as (
    -- the current-year opening stays in the current year's result during the first loaded
    -- month's fiscal year, then is part of prior years' results
    select
        c.source_system,
        c.customer_id,
        c.period,
        c.fiscal_year,
        c.fiscal_period,
        a.bank_opening_cents + c.bank_cents as bank_cents,
        a.vat_payable_opening_cents + c.vat_payable_cents as vat_payable_cents,
        a.prior_years_opening_cents + c.prior_years_cents
            + case when c.fiscal_year = a.first_fiscal_year then 0 else a.current_year_opening_cents end
            as prior_years_cents,
        c.current_year_cents
            + case when c.fiscal_year = a.first_fiscal_year then a.current_year_opening_cents else 0 end
            as current_year_cents
    from cumulative as c
    join {{ ref('int_ledger_anchors') }} as a
        on a.source_system = c.source_system and a.customer_id = c.customer_id
), lines as (
    select
        b.source_system,
        b.customer_id,
        b.period,
        b.fiscal_year,
        b.fiscal_period,
        r.line_order,
        r.account_code,
        r.account_name,
        r.section,
        case r.balance_role
            when 'bank' then b.bank_cents
            when 'vat_payable' then b.vat_payable_cents
            when 'prior_years_result' then b.prior_years_cents
            when 'current_year_result' then b.current_year_cents
        end as amount_cents
    from anchored as b
    cross join {{ ref('ref_balance_accounts') }} as r
), double_entry_moves as (
    -- the journal's lines, and each account's opening balance (`int_ledger_account_anchors`) as a
    -- movement of the first loaded month
    select source_system, customer_id, period, account_code, account_name, account_section,
        debit_cents - credit_cents as movement_cents
    from {{ ref('mart_general_ledger') }}
    where ledger_model = 'double_entry'
    union all
    select source_system, customer_id, first_period, account_code, account_name, account_section, opening_cents
    from {{ ref('int_ledger_account_anchors') }}
), double_entry_monthly as (
    select
        source_system,
        customer_id,
        period,
        case when account_section in ('assets', 'equity_and_liabilities') then account_code end as account_code,
        case when account_section in ('assets', 'equity_and_liabilities') then account_section else 'equity' end
            as section,
        max(account_name) as account_name,
        sum(case when account_section = 'assets' then movement_cents else -movement_cents end) as amount_cents
    from double_entry_moves
    where account_section in ('assets', 'equity_and_liabilities', 'revenue', 'expenses')
    group by source_system, customer_id, period,
        case when account_section in ('assets', 'equity_and_liabilities') then account_code end,
        case when account_section in ('assets', 'equity_and_liabilities') then account_section else 'equity' end
), double_entry_lines as (
    select
        p.source_system,
        p.customer_id,
        p.period,
        p.fiscal_year,
        p.fiscal_period,
        m.account_code,
        coalesce(max(m.account_name), 'Result not yet distributed') as account_name,
        m.section,
        sum(m.amount_cents) as amount_cents
    from {{ ref('int_periods') }} as p
    join double_entry_monthly as m
        on m.source_system = p.source_system and m.customer_id = p.customer_id and m.period <= p.period
    group by p.source_system, p.customer_id, p.period, p.fiscal_year, p.fiscal_period, m.account_code, m.section
), all_lines as (
    select * from lines
    union all
    select
        source_system, customer_id, period, fiscal_year, fiscal_period,
        row_number() over (
            partition by source_system, customer_id, period
            order by case when account_code is null then 1 else 0 end, account_code
        ) as line_order,
        account_code, account_name, section, amount_cents
    from double_entry_lines
)
select
    source_system,
    customer_id,
    period,
    fiscal_year,
    fiscal_period,
    line_order,
    account_code,
    account_name,
    section,
    cast(amount_cents as bigint) as amount_cents,
    {{ lac_euros('amount_cents') }} as amount
from all_lines
