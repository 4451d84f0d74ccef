{#- One row per company, VAT period and box of the German advance VAT return
    (Umsatzsteuer-Voranmeldung, `ref_vat_return_de_boxes`) for double-entry ledgers (LedgerLou);
    each box sums what `ref_vat_return_de_rules` says over `mart_vat_by_tax_code`. Amounts as
    booked (bases and taxes positive for sales and deductible purchases); 83 = output tax - input
    tax (negative: refund). Finnish (LAC) returns: `mart_vat_return`. -#}
with periods as (
    select distinct source_system, customer_id, vat_period from {{ ref('mart_vat_by_tax_code') }}
), amounts as (
    select
        v.source_system,
        v.customer_id,
        v.vat_period,
        r.box,
        sum(r.sign * case r.measure
            when 'base' then v.base_cents
            when 'output_tax' then v.output_tax_cents
            when 'input_tax' then v.input_tax_cents
        end) as amount_cents
    from {{ ref('mart_vat_by_tax_code') }} as v
    join {{ ref('ref_vat_return_de_rules') }} as r
        on (r.treatment is null or r.treatment = v.treatment)
        and (r.rate_basis_points is null or r.rate_basis_points = v.rate_basis_points)
    group by v.source_system, v.customer_id, v.vat_period, r.box
)
select
    p.source_system,
    p.customer_id,
    p.vat_period,
    b.box,
    b.label,
    cast(coalesce(a.amount_cents, 0) as bigint) as amount_cents,
    {{ lac_euros('coalesce(a.amount_cents, 0)') }} as amount
from periods as p
cross join {{ ref('ref_vat_return_de_boxes') }} as b
left join amounts as a
    on a.source_system = p.source_system and a.customer_id = p.customer_id
    and a.vat_period = p.vat_period and a.box = b.box
