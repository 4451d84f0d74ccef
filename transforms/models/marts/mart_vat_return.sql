{#- One row per company, VAT period and supported box of the Finnish periodic VAT return
    (kausiveroilmoitus, `ref_vat_return_boxes`); each box sums what `ref_vat_return_box_rules`
    says. Amounts are positive as entered on the form, except 308 (negative: refundable). -#}
with periods as (
    select distinct source_system, customer_id, vat_period from {{ ref('int_ledger_vat') }}
), amounts as (
    select
        v.source_system,
        v.customer_id,
        v.vat_period,
        r.box,
        sum(r.sign * case r.measure
            when 'base' then v.base_cents
            when 'output_vat' then v.output_vat_cents
            when 'input_vat' then v.input_vat_cents
        end) as amount_cents
    from {{ ref('int_ledger_vat') }} as v
    join {{ ref('ref_vat_return_box_rules') }} as r
        on (r.vat_treatment is null or r.vat_treatment = v.treatment)
        and (r.rate_kind is null or r.rate_kind = v.rate_kind)
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
cross join {{ ref('ref_vat_return_boxes') }} as b
left join amounts as a
    on a.source_system = p.source_system and a.customer_id = p.customer_id
    and a.vat_period = p.vat_period and a.box = b.box
