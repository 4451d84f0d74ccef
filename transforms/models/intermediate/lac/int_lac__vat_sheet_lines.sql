{#- LAC's VAT sheet rows mapped into the VAT-sheet-line contract (`int_vat_sheet_lines`). -#}
{%- set m = lac_mapping('vat_rows', source('lac', 'transform_mapping')) -%}
select
    'lac' as source_system,
    customer_id,
    period,
    row_index,
    {{ lac_field(m, 'entry_date', 'date') }} as entry_date,
    {{ lac_field(m, 'account_code', 'text') }} as account_code,
    {{ lac_field(m, 'vat_code', 'text') }} as vat_code,
    {{ lac_field(m, 'vat_rate_basis_points', 'bigint') }} as vat_rate_basis_points,
    {{ lac_field(m, 'base_cents', 'bigint') }} as base_cents,
    {{ lac_field(m, 'output_vat_cents', 'bigint') }} as output_vat_cents,
    {{ lac_field(m, 'input_vat_cents', 'bigint') }} as input_vat_cents
from {{ ref('stg_vat_rows') }}
