{#- One row per line of a not deleted invoice, with the invoice header. -#}
select
    l.source_system,
    l.customer_id,
    l.invoice_id,
    l.line_index,
    i.invoice_number,
    i.status as invoice_status,
    i.issue_date,
    i.party_name,
    l.description,
    l.quantity,
    l.unit_price_cents,
    {{ lac_euros('l.unit_price_cents') }} as unit_price,
    l.vat_code,
    l.vat_rate_basis_points,
    {{ lac_percent('l.vat_rate_basis_points') }} as vat_rate_percent,
    l.net_cents,
    l.vat_cents,
    l.gross_cents,
    {{ lac_euros('l.net_cents') }} as net,
    {{ lac_euros('l.vat_cents') }} as vat,
    {{ lac_euros('l.gross_cents') }} as gross
from {{ ref('int_invoice_lines') }} as l
join {{ ref('int_invoices') }} as i
    on i.source_system = l.source_system and i.customer_id = l.customer_id and i.invoice_id = l.invoice_id
where i.is_deleted is not true
