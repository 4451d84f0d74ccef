{#- LedgerLou's outgoing invoices mapped into the invoice contract (`int_invoices`); amounts in the
    invoice's currency. Open = booked (it has the posting reference `intent_id`; a draft has none)
    with a remaining amount (`remaining_amount`, after partial payments). The party's name comes
    from `ll_customers` (the invoice's `customer_id`). -#}
{%- set m = lac_mapping('ll_sales_invoices', source('lac', 'transform_mapping')) -%}
{%- set c = lac_mapping('ll_customers', source('lac', 'transform_mapping')) -%}
with mapped as (
    select
        tenant_id,
        record_id,
        {{ lac_field(m, 'number', 'text') }} as invoice_number,
        {{ lac_field(m, 'status', 'text') }} as status,
        {{ lac_field(m, 'party_id', 'text') }} as party_id,
        {{ lac_field(m, 'posting_id', 'text') }} as posting_id,
        {{ lac_field(m, 'currency', 'text') }} as currency,
        {{ lac_field(m, 'issue_date', 'date') }} as issue_date,
        {{ lac_field(m, 'due_date', 'date') }} as due_date,
        {{ lac_field(m, 'net', 'bigint') }} as net_cents,
        {{ lac_field(m, 'tax', 'bigint') }} as vat_cents,
        {{ lac_field(m, 'gross', 'bigint') }} as gross_cents,
        {{ lac_field(m, 'remaining', 'bigint') }} as remaining_cents
    from {{ ref('stg_ll_sales_invoices') }}
), parties as (
    select tenant_id, record_id, {{ lac_field(c, 'name', 'text') }} as party_name
    from {{ ref('stg_ll_customers') }}
)
select
    'ledgerlou' as source_system,
    i.tenant_id as customer_id,
    i.record_id as invoice_id,
    i.invoice_number,
    i.status,
    p.party_name,
    i.issue_date,
    i.due_date,
    i.currency,
    i.net_cents,
    i.vat_cents,
    i.gross_cents,
    case when i.posting_id is not null then i.remaining_cents else 0 end as open_cents,
    coalesce(i.posting_id is not null and i.remaining_cents <> 0, false) as is_open,
    false as is_deleted
from mapped as i
left join parties as p on p.tenant_id = i.tenant_id and p.record_id = i.party_id
