{#- One row per ledger row within VAT, with the amounts the VAT sheet would show: domestic and
    zero-rated sales and EU sales carry their output VAT; domestic purchases their input VAT;
    EU purchases (reverse charge: the books carry no VAT) output and the same deductible input
    VAT at the general rate in force on the entry date (`ref_vat_rates`), rounded half up.
    `rate_kind` names the row's own rate (`general`, `reduced_14`, `reduced_10`). -#}
with lines as (
    select l.*, p.vat_period
    from {{ ref('int_ledger_lines') }} as l
    join {{ ref('int_periods') }} as p
        on p.source_system = l.source_system and p.customer_id = l.customer_id and p.period = l.period
    -- single-sided rows (LAC); a double-entry source's VAT is its tax-code lines (int_tax_code_lines)
    where l.ledger_model = 'single_sided' and l.vat_treatment <> 'no_vat'
), rated as (
    select
        lines.*,
        k.rate_kind,
        cast(round(cast(abs(lines.net_cents) as decimal(38,0)) * {{ lac_rate('g.rate_basis_points') }}) as bigint)
            as reverse_charge_cents
    from lines
    left join (select distinct rate_kind, rate_basis_points from {{ ref('ref_vat_rates') }}) as k
        on k.rate_basis_points = lines.vat_rate_basis_points
    left join {{ ref('ref_vat_rates') }} as g
        on g.rate_kind = 'general' and lines.entry_date between g.valid_from and g.valid_to
)
select
    source_system,
    customer_id,
    period,
    vat_period,
    entry_date,
    account_code,
    vat_code,
    vat_rate_basis_points,
    vat_treatment as treatment,
    rate_kind,
    net_cents as base_cents,
    case
        when vat_treatment in ('domestic_sale', 'zero_rated_sale', 'eu_sale') then vat_cents
        when vat_treatment = 'eu_purchase' then reverse_charge_cents
        else 0
    end as output_vat_cents,
    case
        when vat_treatment = 'domestic_purchase' then -vat_cents
        when vat_treatment = 'eu_purchase' then reverse_charge_cents
        else 0
    end as input_vat_cents
from rated
