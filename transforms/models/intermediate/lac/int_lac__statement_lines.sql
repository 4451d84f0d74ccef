{#- LAC's statement lines mapped into the statement-line contract (`int_statement_lines`).
    `statement_kind`: the mapped kind column if the mapping names one; else `cashflow` for the
    cash flow set (`/statements?statement=cashflow`); else the kind `statement_path` names
    (`income_statement.lines`, `statements[balance_sheet].sections[assets].rows`); else the
    statement the account's section belongs to (`ref_account_sections`). -#}
{%- set m = lac_mapping('statement_lines', source('lac', 'transform_mapping')) -%}
with mapped as (
    select
        customer_id,
        period,
        statement_set,
        statement_path,
        line_index,
        {{ lac_field(m, 'account_code', 'text') }} as account_code,
        {{ lac_field(m, 'account_name', 'text') }} as account_name,
        {{ lac_field(m, 'line_key', 'text') }} as line_key,
        {{ lac_field(m, 'amount_cents', 'bigint') }} as amount_cents,
        lower({{ lac_field(m, 'statement_kind', 'text') }}) as named_kind
    from {{ ref('stg_statement_lines') }}
)
select
    'lac' as source_system,
    l.customer_id,
    l.period,
    l.statement_set,
    l.statement_path,
    l.line_index,
    l.account_code,
    l.account_name,
    l.line_key,
    l.amount_cents,
    coalesce(
        case
            when l.named_kind like '%income%' or l.named_kind like '%profit%' then 'income_statement'
            when l.named_kind like '%balance%' then 'balance_sheet'
            when l.named_kind like '%cash%' then 'cashflow'
        end,
        case when l.statement_set = 'cashflow' then 'cashflow' end,
        case
            when l.statement_path like '%income_statement%' then 'income_statement'
            when l.statement_path like '%balance_sheet%' then 'balance_sheet'
            when l.statement_path like '%cashflow%' or l.statement_path like '%cash_flow%' then 'cashflow'
        end,
        s.statement_kind
    ) as statement_kind
from mapped as l
left join {{ ref('ref_account_sections') }} as s
    on s.first_digit = substr(l.account_code, 1, 1)
