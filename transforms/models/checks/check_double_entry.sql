{#- Checks of double-entry ledgers (LedgerLou) against the API's own reports, per company and month:
    `trial_balance`: each account's closing balance (debit - credit since the first booking) in the
    trial balance against the account's opening balance before the first loaded month
    (`int_ledger_account_anchors`) plus the journal lines' cumulative debit - credit
    (`int_ledger_lines`), and in the first loaded month, when there are openings, their sum
    (`line_key` `openings`: every posting before balances, so 0; a wrong journal line of that
    month would otherwise hide in its account's opening);
    `tax_codes`: the VAT report's net, output and input tax per tax code against the tax-code lines
    (`int_tax_code_lines`); only months the API returned that report for are compared, a line
    missing on one side counts as zero. `open_items`: each receivable open item's remaining amount
    (the API's open-items list, `ll_open_items` side `receivable`) against the open amount of the
    invoice (`int_invoices`, from the invoice's `remaining_amount`), by invoice, in the month the
    invoice was issued. -#}
{%- set o = lac_mapping('ll_open_items', source('lac', 'transform_mapping')) -%}
with expected as (
    select source_system, customer_id, period, statement_kind as check_name, coalesce(account_code, line_key) as line_key,
        sum(amount_cents) as amount_cents
    from {{ ref('int_statement_lines') }}
    where statement_kind in ('trial_balance', 'tax_codes')
    group by source_system, customer_id, period, statement_kind, coalesce(account_code, line_key)
), compared as (
    select distinct source_system, customer_id, period, check_name from expected
), monthly as (
    select source_system, customer_id, period, account_code, sum(debit_cents - credit_cents) as movement_cents
    from {{ ref('int_ledger_lines') }}
    where ledger_model = 'double_entry'
    group by source_system, customer_id, period, account_code
    union all
    select source_system, customer_id, first_period, account_code, opening_cents
    from {{ ref('int_ledger_account_anchors') }}
), balances as (
    select c.source_system, c.customer_id, c.period, c.check_name, m.account_code as line_key,
        sum(m.movement_cents) as amount_cents
    from compared as c
    join monthly as m
        on m.source_system = c.source_system and m.customer_id = c.customer_id and m.period <= c.period
    where c.check_name = 'trial_balance'
    group by c.source_system, c.customer_id, c.period, c.check_name, m.account_code
), tax_lines as (
    select source_system, customer_id, period, tax_code, sum(base_cents) as base_cents,
        sum(output_tax_cents) as output_tax_cents, sum(input_tax_cents) as input_tax_cents
    from {{ ref('int_tax_code_lines') }}
    group by source_system, customer_id, period, tax_code
), taxes as (
    select source_system, customer_id, period, 'tax_codes' as check_name, tax_code || ' net' as line_key,
        base_cents as amount_cents
    from tax_lines
    union all
    select source_system, customer_id, period, 'tax_codes', tax_code || ' output_tax', output_tax_cents
    from tax_lines
    union all
    select source_system, customer_id, period, 'tax_codes', tax_code || ' input_tax', input_tax_cents
    from tax_lines
), actual as (
    select * from balances
    union all
    select t.*
    from taxes as t
    join compared as c
        on c.source_system = t.source_system and c.customer_id = t.customer_id
        and c.period = t.period and c.check_name = t.check_name
), reports as (
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
), openings as (
    select source_system, customer_id, min(first_period) as period, 'trial_balance' as check_name,
        'openings' as line_key, cast(0 as bigint) as expected_cents, cast(sum(opening_cents) as bigint) as actual_cents
    from {{ ref('int_ledger_account_anchors') }}
    group by source_system, customer_id
), listed as (
    select
        'ledgerlou' as source_system,
        tenant_id as customer_id,
        {{ lac_field(o, 'invoice_id', 'text') }} as invoice_id,
        {{ lac_field(o, 'remaining', 'bigint') }} as remaining_cents
    from {{ ref('stg_ll_open_items') }}
    where side = 'receivable'
), invoices as (
    select source_system, customer_id, invoice_id, issue_date, open_cents
    from {{ ref('int_invoices') }}
    where is_open and source_system in (select distinct source_system from listed)
), open_items as (
    select
        coalesce(l.source_system, i.source_system) as source_system,
        coalesce(l.customer_id, i.customer_id) as customer_id,
        coalesce(substr(cast(i.issue_date as varchar), 1, 7), 'unknown') as period,
        'open_items' as check_name,
        coalesce(l.invoice_id, i.invoice_id) as line_key,
        cast(coalesce(l.remaining_cents, 0) as bigint) as expected_cents,
        cast(coalesce(i.open_cents, 0) as bigint) as actual_cents
    from listed as l
    full outer join invoices as i
        on i.source_system = l.source_system and i.customer_id = l.customer_id and i.invoice_id = l.invoice_id
)
select * from reports
union all
select * from openings
union all
select * from open_items
