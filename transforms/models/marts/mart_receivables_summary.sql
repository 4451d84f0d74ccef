{#- One row per company and aging bucket that has open invoices. -#}
select
    source_system,
    customer_id,
    as_of_date,
    aging_bucket,
    bucket_order,
    cast(count(*) as bigint) as invoice_count,
    cast(sum(gross_cents) as bigint) as gross_cents,
    {{ lac_euros('sum(gross_cents)') }} as gross
from {{ ref('mart_receivables_aging') }}
group by source_system, customer_id, as_of_date, aging_bucket, bucket_order
