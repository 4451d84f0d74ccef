{#- One row per company: opening balances (before the first loaded month) implied by the API's own
    statements of the first loaded month: the API's balance at the end of that month minus the
    ledger's movement in it. The balances below are single-sided ledgers' (LAC): a double-entry
    ledger (LedgerLou) is anchored per account by `int_ledger_account_anchors`, and its opening
    cash here is the sum of those openings on cash accounts. Zero when the API returned no balance sheet for that month (or
    `statement_lines` is not loaded). The current-year-result opening is the result of the first
    month's fiscal year so far: it stays in that account during that fiscal year and belongs to
    prior years' results from the next one on. Opening cash is the API cash flow's `opening_cash`
    of the first month if the API returned one, else the bank opening. Balance accounts by role:
    `ref_balance_accounts`. -#}
with first_month as (
    select source_system, customer_id, min(period) as period
    from {{ ref('int_periods') }}
    group by source_system, customer_id
), movement as (
    select
        l.source_system,
        l.customer_id,
        l.period,
        p.fiscal_year,
        max(l.ledger_model) as ledger_model,
        coalesce(sum(l.net_cents), 0) as net_cents,
        coalesce(sum(l.vat_cents), 0) as vat_cents,
        coalesce(sum(l.gross_cents), 0) as gross_cents
    from {{ ref('int_ledger_lines') }} as l
    join first_month as f
        on f.source_system = l.source_system and f.customer_id = l.customer_id and f.period = l.period
    join {{ ref('int_periods') }} as p
        on p.source_system = l.source_system and p.customer_id = l.customer_id and p.period = l.period
    group by l.source_system, l.customer_id, l.period, p.fiscal_year
), api_balance as (
    select
        s.source_system,
        s.customer_id,
        coalesce(sum(case when a.balance_role = 'bank' then s.amount_cents end), 0) as bank_cents,
        coalesce(sum(case when a.balance_role = 'vat_payable' then s.amount_cents end), 0) as vat_payable_cents,
        coalesce(sum(case when a.balance_role = 'prior_years_result' then s.amount_cents end), 0)
            as prior_years_cents,
        coalesce(sum(case when a.balance_role = 'current_year_result' then s.amount_cents end), 0)
            as current_year_cents
    from {{ ref('int_statement_lines') }} as s
    join first_month as f
        on f.source_system = s.source_system and f.customer_id = s.customer_id and f.period = s.period
    left join {{ ref('ref_balance_accounts') }} as a on a.account_code = s.account_code
    where s.statement_kind = 'balance_sheet'
    group by s.source_system, s.customer_id
), api_cash as (
    select s.source_system, s.customer_id, sum(s.amount_cents) as opening_cash_cents
    from {{ ref('int_statement_lines') }} as s
    join first_month as f
        on f.source_system = s.source_system and f.customer_id = s.customer_id and f.period = s.period
    where s.statement_kind = 'cashflow' and s.line_key = 'opening_cash'
    group by s.source_system, s.customer_id
), account_cash as (
    select source_system, customer_id, sum(opening_cents) as opening_cash_cents
    from {{ ref('int_ledger_account_anchors') }}
    where is_cash
    group by source_system, customer_id
), openings as (
    select
        m.source_system,
        m.customer_id,
        m.period as first_period,
        m.fiscal_year as first_fiscal_year,
        -- no API balance sheet for the first month (or a double-entry ledger): opening balances zero
        case when b.customer_id is null then 0 else b.bank_cents - m.gross_cents end as bank_opening_cents,
        case when b.customer_id is null then 0 else b.vat_payable_cents - m.vat_cents end
            as vat_payable_opening_cents,
        case when b.customer_id is null then 0 else b.prior_years_cents end as prior_years_opening_cents,
        case when b.customer_id is null then 0 else b.current_year_cents - m.net_cents end
            as current_year_opening_cents,
        c.opening_cash_cents as api_opening_cash_cents,
        coalesce(d.opening_cash_cents, 0) as account_cash_cents
    from movement as m
    left join api_balance as b
        on b.source_system = m.source_system and b.customer_id = m.customer_id
        and m.ledger_model = 'single_sided'
    left join api_cash as c
        on c.source_system = m.source_system and c.customer_id = m.customer_id
        and m.ledger_model = 'single_sided'
    left join account_cash as d
        on d.source_system = m.source_system and d.customer_id = m.customer_id
        and m.ledger_model = 'double_entry'
)
select
    source_system,
    customer_id,
    first_period,
    first_fiscal_year,
    cast(bank_opening_cents as bigint) as bank_opening_cents,
    cast(vat_payable_opening_cents as bigint) as vat_payable_opening_cents,
    cast(prior_years_opening_cents as bigint) as prior_years_opening_cents,
    cast(current_year_opening_cents as bigint) as current_year_opening_cents,
    cast(coalesce(api_opening_cash_cents, bank_opening_cents) + account_cash_cents as bigint) as opening_cash_cents
from openings
