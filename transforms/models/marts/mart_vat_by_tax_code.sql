{#- One row per company, VAT period and tax code of a double-entry ledger (LedgerLou), from its
    tax-code lines (`int_tax_code_lines`): base, output tax, input tax, the code's treatment and rate. -#}
with totals as (
    select
        t.source_system,
        t.customer_id,
        p.vat_period,
        t.tax_code,
        max(t.treatment) as treatment,
        max(t.rate_basis_points) as rate_basis_points,
        count(*) as row_count,
        sum(t.base_cents) as base_cents,
        sum(t.output_tax_cents) as output_tax_cents,
        sum(t.input_tax_cents) as input_tax_cents
    from {{ ref('int_tax_code_lines') }} as t
    join {{ ref('int_periods') }} as p
        on p.source_system = t.source_system and p.customer_id = t.customer_id and p.period = t.period
    group by t.source_system, t.customer_id, p.vat_period, t.tax_code
)
select
    source_system,
    customer_id,
    vat_period,
    tax_code,
    treatment,
    rate_basis_points,
    {{ lac_percent('rate_basis_points') }} as rate_percent,
    cast(row_count as bigint) as row_count,
    cast(base_cents as bigint) as base_cents,
    cast(output_tax_cents as bigint) as output_tax_cents,
    cast(input_tax_cents as bigint) as input_tax_cents,
    {{ lac_euros('base_cents') }} as base,
    {{ lac_euros('output_tax_cents') }} as output_tax,
    {{ lac_euros('input_tax_cents') }} as input_tax
from totals
