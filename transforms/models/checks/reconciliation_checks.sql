{#- Every reconciliation comparison of this run, with its status:
    `ok` (equal), `tolerated` (differs by at most `reconcile_tolerance_cents`), `failed`, or
    `skipped: <field> <why> ...` when an input of the check is unresolved or ambiguous in
    `transform_mapping` (one row per company, month and check; such a check is never compared,
    so it can neither pass nor fail). `severity` is the check's configured severity. For
    `rows_mapped` the amounts are row counts and no tolerance applies. -#}
{%- set severity = var('lac_severity') -%}
with comparisons as (
    select * from {{ ref('check_statements') }}
    union all
    select * from {{ ref('check_vat') }}
    union all
    select * from {{ ref('check_rows_mapped') }}
    union all
    select * from {{ ref('check_double_entry') }}
    union all
    select * from {{ ref('check_account_entries') }}
), unusable_inputs as (
    select
        i.source_system,
        i.check_name,
        string_agg(i.field || ' ' || m.detail, '; ' order by i.source_table, i.field) as reason
    from {{ ref('ref_check_inputs') }} as i
    join {{ source('lac', 'transform_mapping') }} as m
        on m.source_system = i.source_system and m.view_name = i.source_table and m.field = i.field
    where m.column_name is null
    group by i.source_system, i.check_name
), scopes as (
    -- the company months a check compares when its inputs are mapped
    select distinct source_system, customer_id, period, 'income_statement' as check_name
    from {{ ref('int_statement_lines') }} where statement_set <> 'cashflow'
    union
    select distinct source_system, customer_id, period, 'balance_sheet'
    from {{ ref('int_statement_lines') }} where statement_set <> 'cashflow'
    union
    select distinct source_system, customer_id, period, 'cashflow'
    from {{ ref('int_statement_lines') }} where statement_set = 'cashflow'
    union
    select distinct source_system, customer_id, period, c.check_name
    from {{ ref('int_vat_sheet_lines') }}
    cross join (
        select 'vat_base' as check_name union all select 'vat_output' union all select 'vat_input'
    ) as c
    union
    select distinct source_system, customer_id, period, statement_kind
    from {{ ref('int_statement_lines') }} where statement_kind in ('trial_balance', 'tax_codes')
    union
    select distinct 'ledgerlou', tenant_id, 'open', 'open_items'
    from {{ ref('stg_ll_open_items') }}
    union
    select distinct 'ledgerlou', tenant_id, period, 'account_entries'
    from {{ ref('stg_ll_account_entries') }}
), skipped as (
    select
        s.source_system,
        s.customer_id,
        s.period,
        s.check_name,
        cast(null as varchar) as line_key,
        cast(null as bigint) as expected_cents,
        cast(null as bigint) as actual_cents,
        'skipped: ' || u.reason as status
    from scopes as s
    join unusable_inputs as u on u.source_system = s.source_system and u.check_name = s.check_name
), compared as (
    select
        c.source_system,
        c.customer_id,
        c.period,
        c.check_name,
        c.line_key,
        c.expected_cents,
        c.actual_cents,
        case
            when c.actual_cents = c.expected_cents then 'ok'
            when c.check_name <> 'rows_mapped'
                and abs(c.actual_cents - c.expected_cents) <= t.reconcile_tolerance_cents then 'tolerated'
            else 'failed'
        end as status
    from comparisons as c
    cross join {{ source('lac', 'transform_params') }} as t
    where not exists (
        select 1 from unusable_inputs as u
        where u.source_system = c.source_system and u.check_name = c.check_name
    )
), checks as (
    select * from compared
    union all
    select * from skipped
)
select
    t.run_at,
    c.source_system,
    c.customer_id,
    c.period,
    c.check_name,
    c.line_key,
    c.expected_cents,
    c.actual_cents,
    c.actual_cents - c.expected_cents as difference_cents,
    case when c.status like 'skipped%' then null else c.status in ('ok', 'tolerated') end as within_tolerance,
    c.status,
    case c.check_name
        {%- for check, level in severity.items() %}
        when '{{ check }}' then '{{ level }}'
        {%- endfor %}
    end as severity
from checks as c
cross join {{ source('lac', 'transform_params') }} as t
