{#- `rows_mapped`: the loaded ledger rows (`books_rows`, `vat_rows`, `ll_journal_lines`: expected)
    against those the mapping made usable
    (actual: entry date, account, net, VAT and gross all known), per company, month and table. A
    difference means marts empty or NULL although the raw tables hold rows. -#}
with loaded as (
    select 'lac' as source_system, customer_id, period, 'books_rows' as line_key, count(*) as row_count
    from {{ ref('stg_books_rows') }}
    group by customer_id, period
    union all
    select 'lac', customer_id, period, 'vat_rows', count(*)
    from {{ ref('stg_vat_rows') }}
    group by customer_id, period
    union all
    select 'ledgerlou', tenant_id, period, 'll_journal_lines', count(*)
    from {{ ref('stg_ll_journal_lines') }}
    group by tenant_id, period
), usable as (
    select
        source_system,
        customer_id,
        period,
        case when ledger_model = 'double_entry' then 'll_journal_lines' else 'books_rows' end as line_key,
        count(*) as row_count
    from {{ ref('int_ledger_lines') }}
    where entry_date is not null and account_code is not null and net_cents is not null
        and vat_cents is not null and gross_cents is not null
    group by source_system, customer_id, period,
        case when ledger_model = 'double_entry' then 'll_journal_lines' else 'books_rows' end
    union all
    select source_system, customer_id, period, 'vat_rows', count(*)
    from {{ ref('int_vat_sheet_lines') }}
    where vat_code is not null and base_cents is not null and output_vat_cents is not null
        and input_vat_cents is not null
    group by source_system, customer_id, period
)
select
    l.source_system,
    l.customer_id,
    l.period,
    'rows_mapped' as check_name,
    l.line_key,
    cast(l.row_count as bigint) as expected_cents,
    cast(coalesce(u.row_count, 0) as bigint) as actual_cents
from loaded as l
left join usable as u
    on u.source_system = l.source_system and u.customer_id = l.customer_id
    and u.period = l.period and u.line_key = l.line_key
