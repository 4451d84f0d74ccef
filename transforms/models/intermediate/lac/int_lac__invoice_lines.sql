{#- LAC's invoice lines mapped into the invoice-line contract (`int_invoice_lines`). -#}
{%- set m = lac_mapping('invoice_lines', source('lac', 'transform_mapping')) -%}
select
    'lac' as source_system,
    customer_id,
    invoice_id,
    line_index,
    {{ lac_field(m, 'description', 'text') }} as description,
    {{ lac_field(m, 'quantity', 'decimal') }} as quantity,
    {{ lac_field(m, 'unit_price_cents', 'bigint') }} as unit_price_cents,
    {{ lac_field(m, 'vat_code', 'text') }} as vat_code,
    {{ lac_field(m, 'vat_rate_basis_points', 'bigint') }} as vat_rate_basis_points,
    {{ lac_field(m, 'net_cents', 'bigint') }} as net_cents,
    {{ lac_field(m, 'vat_cents', 'bigint') }} as vat_cents,
    {{ lac_field(m, 'gross_cents', 'bigint') }} as gross_cents
from {{ ref('stg_invoice_lines') }}
