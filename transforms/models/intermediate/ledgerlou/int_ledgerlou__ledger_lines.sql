{#- LedgerLou's journal lines mapped into the ledger-line contract (`int_ledger_lines`): one row per
    line (double entry: every posting's lines balance). Signed as LAC's books: `net_cents` =
    credit - debit (revenue positive, expenses negative) and equal to `gross_cents` (VAT has lines
    of its own); `cash_cents` = debit - credit on the ledger accounts of bank accounts. A reversal
    is a posting of its own whose lines cancel the original's; `status` is the posting's
    (`posted`, `reversed`, as the API says). Which loaded column holds what: `transform_mapping`. -#}
{%- set m = lac_mapping('ll_journal_lines', source('lac', 'transform_mapping')) -%}
{%- set i = lac_mapping('ll_journal_intents', source('lac', 'transform_mapping')) -%}
with mapped as (
    select
        tenant_id,
        period,
        line_index,
        intent_id,
        {{ lac_field(m, 'entry_date', 'date') }} as entry_date,
        {{ lac_field(m, 'account_code', 'text') }} as account_code,
        {{ lac_field(m, 'description', 'text') }} as description,
        {{ lac_field(m, 'tax_code', 'text') }} as tax_code,
        {{ lac_field(m, 'debit', 'bigint') }} as debit_raw,
        {{ lac_field(m, 'credit', 'bigint') }} as credit_raw
    from {{ ref('stg_ll_journal_lines') }}
), sided as (
    -- a line may leave its zero side out; a line with neither side stays NULL (see rows_mapped)
    select
        mapped.*,
        case when debit_raw is not null or credit_raw is not null then coalesce(debit_raw, 0) end as debit_cents,
        case when debit_raw is not null or credit_raw is not null then coalesce(credit_raw, 0) end as credit_cents
    from mapped
), intents as (
    select tenant_id, intent_id, {{ lac_field(i, 'status', 'text') }} as status
    from {{ ref('stg_ll_journal_intents') }}
)
select
    'ledgerlou' as source_system,
    l.tenant_id as customer_id,
    l.period,
    l.line_index as row_index,
    l.entry_date,
    l.account_code,
    a.account_name,
    coalesce(a.account_section, 'other') as account_section,
    l.description,
    cast(null as varchar) as counterparty,
    l.tax_code as vat_code,
    case when l.tax_code is null then 'no_vat' else coalesce(t.treatment, 'unknown') end as vat_treatment,
    t.rate_basis_points as vat_rate_basis_points,
    cast(l.credit_cents - l.debit_cents as bigint) as net_cents,
    cast(0 as bigint) as vat_cents,
    cast(l.credit_cents - l.debit_cents as bigint) as gross_cents,
    cast(l.debit_cents as bigint) as debit_cents,
    cast(l.credit_cents as bigint) as credit_cents,
    cast(case when a.is_cash then l.debit_cents - l.credit_cents else 0 end as bigint) as cash_cents,
    'double_entry' as ledger_model,
    l.intent_id as posting_id,
    cast(null as varchar) as category,
    s.status
from sided as l
left join {{ ref('int_ledgerlou__accounts') }} as a
    on a.tenant_id = l.tenant_id and a.account_number = l.account_code
left join {{ ref('int_ledgerlou__tax_codes') }} as t
    on t.tenant_id = l.tenant_id and t.tax_code = l.tax_code
left join intents as s on s.tenant_id = l.tenant_id and s.intent_id = l.intent_id
