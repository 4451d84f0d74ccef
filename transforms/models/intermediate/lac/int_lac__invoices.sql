{#- LAC's sales invoices mapped into the invoice contract (`int_invoices`). The spec fixes `id`,
    `status` and `customer` (a Party: `customer__name`); number, dates and totals are discovered. -#}
{%- set m = lac_mapping('invoices', source('lac', 'transform_mapping')) -%}
select
    'lac' as source_system,
    customer_id,
    id as invoice_id,
    {{ lac_field(m, 'number', 'text') }} as invoice_number,
    {{ lac_field(m, 'status', 'text') }} as status,
    {{ lac_field(m, 'party_name', 'text') }} as party_name,
    {{ lac_field(m, 'issue_date', 'date') }} as issue_date,
    {{ lac_field(m, 'due_date', 'date') }} as due_date,
    'EUR' as currency,
    {{ lac_field(m, 'net_cents', 'bigint') }} as net_cents,
    {{ lac_field(m, 'vat_cents', 'bigint') }} as vat_cents,
    {{ lac_field(m, 'gross_cents', 'bigint') }} as gross_cents,
    -- the API has no partial payments: an open invoice (`sent`, `overdue`, not deleted) owes its gross
    case when lac_open then {{ lac_field(m, 'gross_cents', 'bigint') }} else 0 end as open_cents,
    coalesce(lac_open, false) as is_open,
    lac_deleted as is_deleted
from (
    select
        *,
        coalesce({{ lac_field(m, 'is_deleted', 'boolean') }}, false) as lac_deleted,
        {{ lac_field(m, 'status', 'text') }} in ('sent', 'overdue')
            and not coalesce({{ lac_field(m, 'is_deleted', 'boolean') }}, false) as lac_open
    from {{ ref('stg_invoices') }}
) as invoices
