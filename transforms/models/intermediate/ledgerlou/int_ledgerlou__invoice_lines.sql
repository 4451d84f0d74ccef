{#- LedgerLou's outgoing invoice lines mapped into the invoice-line contract (`int_invoice_lines`);
    the rate is the tax code's (`ll_tax_codes`); gross = net + tax when the line has no gross. -#}
{%- set m = lac_mapping('ll_sales_invoice_lines', source('lac', 'transform_mapping')) -%}
with mapped as (
    select
        tenant_id,
        invoice_record_id,
        line_index,
        {{ lac_field(m, 'description', 'text') }} as description,
        {{ lac_field(m, 'quantity', 'decimal') }} as quantity,
        {{ lac_field(m, 'unit_price', 'bigint') }} as unit_price_cents,
        {{ lac_field(m, 'tax_code', 'text') }} as tax_code,
        {{ lac_field(m, 'net', 'bigint') }} as net_cents,
        {{ lac_field(m, 'tax', 'bigint') }} as vat_cents,
        {{ lac_field(m, 'gross', 'bigint') }} as gross_cents
    from {{ ref('stg_ll_sales_invoice_lines') }}
)
select
    'ledgerlou' as source_system,
    l.tenant_id as customer_id,
    l.invoice_record_id as invoice_id,
    l.line_index,
    l.description,
    l.quantity,
    l.unit_price_cents,
    l.tax_code as vat_code,
    t.rate_basis_points as vat_rate_basis_points,
    l.net_cents,
    l.vat_cents,
    coalesce(l.gross_cents, l.net_cents + l.vat_cents) as gross_cents
from mapped as l
left join {{ ref('int_ledgerlou__tax_codes') }} as t
    on t.tenant_id = l.tenant_id and t.tax_code = l.tax_code
