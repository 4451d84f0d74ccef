{#- LedgerLou's reports (`/v1/reports`, loaded as `ll_report_lines`) in the statement-line contract
    (`int_statement_lines`): `profit_and_loss` lines are the `income_statement` (amount = credit -
    debit), `balance_sheet` lines the `balance_sheet` (natural-side amounts; the line without
    account carries the not yet distributed result: `line_key` `result`), `trial_balance` lines
    the `trial_balance` (closing balance = debit - credit since the first booking), and each `vat`
    line three `tax_codes` lines (`line_key` `<tax code> net|output_tax|input_tax`). -#}
{%- set m = lac_mapping('ll_report_lines', source('lac', 'transform_mapping')) -%}
with mapped as (
    select
        tenant_id,
        period,
        report_type,
        line_index,
        {{ lac_field(m, 'account_code', 'text') }} as account_code,
        {{ lac_field(m, 'tax_code', 'text') }} as tax_code,
        {{ lac_field(m, 'amount', 'bigint') }} as amount_cents,
        {{ lac_field(m, 'closing_balance', 'bigint') }} as closing_cents,
        {{ lac_field(m, 'net', 'bigint') }} as net_cents,
        {{ lac_field(m, 'output_tax', 'bigint') }} as output_tax_cents,
        {{ lac_field(m, 'input_tax', 'bigint') }} as input_tax_cents
    from {{ ref('stg_ll_report_lines') }}
), lines as (
    select
        tenant_id, period, report_type, line_index, account_code,
        case when account_code is null then 'result' end as line_key,
        case report_type
            when 'profit_and_loss' then 'income_statement'
            when 'balance_sheet' then 'balance_sheet'
            when 'trial_balance' then 'trial_balance'
        end as statement_kind,
        case when report_type = 'trial_balance' then closing_cents else amount_cents end as amount_cents
    from mapped
    where report_type in ('profit_and_loss', 'balance_sheet', 'trial_balance')
    union all
    select tenant_id, period, report_type, line_index, cast(null as varchar), tax_code || ' net', 'tax_codes',
        net_cents
    from mapped where report_type = 'vat'
    union all
    select tenant_id, period, report_type, line_index, cast(null as varchar), tax_code || ' output_tax',
        'tax_codes', output_tax_cents
    from mapped where report_type = 'vat'
    union all
    select tenant_id, period, report_type, line_index, cast(null as varchar), tax_code || ' input_tax',
        'tax_codes', input_tax_cents
    from mapped where report_type = 'vat'
)
select
    'ledgerlou' as source_system,
    l.tenant_id as customer_id,
    l.period,
    l.report_type as statement_set,
    l.report_type as statement_path,
    l.line_index,
    l.statement_kind,
    l.account_code,
    cast(null as varchar) as account_name,
    l.line_key,
    l.amount_cents
from lines as l
