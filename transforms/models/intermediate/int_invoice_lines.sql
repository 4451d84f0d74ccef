{#- The invoice-line contract, every source. -#}
{%- set columns -%}
    source_system, customer_id, invoice_id, line_index, description, quantity, unit_price_cents,
    vat_code, vat_rate_basis_points, net_cents, vat_cents, gross_cents
{%- endset %}
select {{ columns }}
from {{ ref('int_lac__invoice_lines') }}
union all
select {{ columns }}
from {{ ref('int_ledgerlou__invoice_lines') }}
