{#- The sales-invoice contract, every source. -#}
select
    source_system, customer_id, invoice_id, invoice_number, status, party_name, issue_date,
    due_date, net_cents, vat_cents, gross_cents, is_deleted
from {{ ref('int_lac__invoices') }}
