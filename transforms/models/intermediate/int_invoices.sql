{#- The sales-invoice contract, every source. Amounts in the invoice's `currency`; `open_cents` is
    what is still to be paid (after partial payments) and `is_open` whether anything is. -#}
{%- set columns -%}
    source_system, customer_id, invoice_id, invoice_number, status, party_name, issue_date,
    due_date, currency, net_cents, vat_cents, gross_cents, open_cents, is_open, is_deleted
{%- endset %}
select {{ columns }}
from {{ ref('int_lac__invoices') }}
union all
select {{ columns }}
from {{ ref('int_ledgerlou__invoices') }}
