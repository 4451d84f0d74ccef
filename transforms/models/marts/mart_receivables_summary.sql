{#- One row per company, aging bucket with open invoices and currency. -#}
select
    source_system,
    customer_id,
    as_of_date,
    aging_bucket,
    bucket_order,
    currency,
    cast(count(*) as bigint) as invoice_count,
    cast(sum(gross_cents) as bigint) as gross_cents,
    {{ lac_euros('sum(gross_cents)') }} as gross,
    cast(sum(open_cents) as bigint) as open_cents,
    {{ lac_euros('sum(open_cents)') }} as open_amount
from {{ ref('mart_receivables_aging') }}
group by source_system, customer_id, as_of_date, aging_bucket, bucket_order, currency
