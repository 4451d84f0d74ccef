{#- LAC's Books sheet rows mapped into the ledger-line contract (`int_ledger_lines`). Which loaded
    column holds which field is mapping discovery's decision (`transform_mapping`); an unresolved
    field is NULL. -#}
{%- set m = lac_mapping('books_rows', source('lac', 'transform_mapping')) -%}
with mapped as (
    select
        customer_id,
        period,
        row_index,
        {{ lac_field(m, 'entry_date', 'date') }} as entry_date,
        {{ lac_field(m, 'account_code', 'text') }} as account_code,
        {{ lac_field(m, 'account_name', 'text') }} as account_name,
        {{ lac_field(m, 'description', 'text') }} as description,
        {{ lac_field(m, 'counterparty', 'text') }} as counterparty,
        {{ lac_field(m, 'vat_code', 'text') }} as vat_code,
        {{ lac_field(m, 'vat_rate_basis_points', 'bigint') }} as vat_rate_basis_points,
        {{ lac_field(m, 'net_cents', 'bigint') }} as net_cents,
        {{ lac_field(m, 'vat_cents', 'bigint') }} as vat_cents,
        {{ lac_field(m, 'gross_cents', 'bigint') }} as gross_cents,
        {{ lac_field(m, 'category', 'text') }} as category,
        {{ lac_field(m, 'status', 'text') }} as status
    from {{ ref('stg_books_rows') }}
)
select
    'lac' as source_system,
    mapped.customer_id,
    mapped.period,
    mapped.row_index,
    mapped.entry_date,
    mapped.account_code,
    mapped.account_name,
    -- from the account code's first digit (`ref_account_sections`)
    coalesce(s.account_section, 'other') as account_section,
    mapped.description,
    counterparty,
    vat_code,
    -- LAC's VAT codes: S<rate> domestic sales (S0 zero-rated), EU_SALE intra-EU sales of goods,
    -- P<rate> domestic purchases, EU_PURCHASE intra-EU purchases of goods (reverse charge), NONE
    case
        when vat_code = 'NONE' then 'no_vat'
        when vat_code = 'EU_SALE' then 'eu_sale'
        when vat_code = 'EU_PURCHASE' then 'eu_purchase'
        when vat_code like 'S%' and coalesce(vat_rate_basis_points, 0) > 0 then 'domestic_sale'
        when vat_code like 'S%' then 'zero_rated_sale'
        when vat_code like 'P%' then 'domestic_purchase'
        else 'unknown'
    end as vat_treatment,
    vat_rate_basis_points,
    net_cents,
    vat_cents,
    gross_cents,
    -- single-sided: every row is a P&L posting settled through the bank (gross)
    cast(null as bigint) as debit_cents,
    cast(null as bigint) as credit_cents,
    gross_cents as cash_cents,
    'single_sided' as ledger_model,
    cast(null as varchar) as posting_id,
    category,
    status
from mapped
left join {{ ref('ref_account_sections') }} as s on s.first_digit = substr(mapped.account_code, 1, 1)
