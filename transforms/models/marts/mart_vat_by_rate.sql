{#- One row per company, VAT period, VAT code, treatment and rate, from the ledger. -#}
with totals as (
    select
        source_system,
        customer_id,
        vat_period,
        vat_code,
        treatment,
        vat_rate_basis_points,
        sum(base_cents) as base_cents,
        sum(output_vat_cents) as output_vat_cents,
        sum(input_vat_cents) as input_vat_cents,
        count(*) as row_count
    from {{ ref('int_ledger_vat') }}
    group by source_system, customer_id, vat_period, vat_code, treatment, vat_rate_basis_points
)
select
    source_system,
    customer_id,
    vat_period,
    vat_code,
    treatment,
    vat_rate_basis_points,
    {{ lac_percent('vat_rate_basis_points') }} as vat_rate_percent,
    cast(row_count as bigint) as row_count,
    cast(base_cents as bigint) as base_cents,
    cast(output_vat_cents as bigint) as output_vat_cents,
    cast(input_vat_cents as bigint) as input_vat_cents,
    {{ lac_euros('base_cents') }} as base,
    {{ lac_euros('output_vat_cents') }} as output_vat,
    {{ lac_euros('input_vat_cents') }} as input_vat
from totals
