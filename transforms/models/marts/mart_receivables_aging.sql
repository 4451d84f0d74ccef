{#- One row per open sales invoice, aged as of `transform_params.as_of_date` (the run date unless
    `[transforms] as_of_date` says otherwise). Open = `int_invoices.is_open` (LAC: status `sent` or
    `overdue`, not deleted, the gross is owed; LedgerLou: booked with a remaining amount, after
    partial payments). `open_cents` is what is still owed, in the invoice's `currency`.
    Buckets: `ref_aging_buckets`. -#}
with open_invoices as (
    select
        i.*,
        t.as_of_date,
        cast(t.as_of_date - i.due_date as integer) as days_overdue
    from {{ ref('int_invoices') }} as i
    cross join {{ source('lac', 'transform_params') }} as t
    where i.is_open and i.is_deleted is not true
)
select
    o.source_system,
    o.customer_id,
    o.invoice_id,
    o.invoice_number,
    o.status,
    o.party_name,
    o.issue_date,
    o.due_date,
    o.as_of_date,
    o.days_overdue,
    b.aging_bucket,
    b.bucket_order,
    o.currency,
    o.net_cents,
    o.vat_cents,
    o.gross_cents,
    o.open_cents,
    {{ lac_euros('o.net_cents') }} as net,
    {{ lac_euros('o.vat_cents') }} as vat,
    {{ lac_euros('o.gross_cents') }} as gross,
    {{ lac_euros('o.open_cents') }} as open_amount
from open_invoices as o
left join {{ ref('ref_aging_buckets') }} as b
    on (b.min_days_overdue is null or o.days_overdue >= b.min_days_overdue)
    and (b.max_days_overdue is null or o.days_overdue <= b.max_days_overdue)
