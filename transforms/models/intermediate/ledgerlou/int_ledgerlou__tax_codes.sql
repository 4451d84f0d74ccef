{#- LedgerLou's tax codes and their treatment, from the fields the reference names: a code with a
    `self_assess_account` is `reverse_charge` (tax owed and deducted by the buyer); one whose
    `vat_account` is a liability account collects output tax (`output_tax`), an asset account
    deductible input tax (`input_tax`); a code without VAT account is `tax_free`. A row of
    `ref_vat_return_de_tax_codes` overrides the treatment of a code (e.g. `eu_supply`, `export`:
    the reference's fields cannot tell tax-free sales apart). -#}
{%- set m = lac_mapping('ll_tax_codes', source('lac', 'transform_mapping')) -%}
with codes as (
    select
        tenant_id,
        code as tax_code,
        cast({{ lac_field(m, 'rate', 'bigint') }} * 100 as bigint) as rate_basis_points,
        {{ lac_field(m, 'vat_account', 'text') }} as vat_account,
        {{ lac_field(m, 'self_assess_account', 'text') }} as self_assess_account
    from {{ ref('stg_ll_tax_codes') }}
)
select
    c.tenant_id,
    c.tax_code,
    c.rate_basis_points,
    c.vat_account,
    c.self_assess_account,
    coalesce(
        o.treatment,
        case
            when c.self_assess_account is not null then 'reverse_charge'
            when a.account_type = 'liability' then 'output_tax'
            when a.account_type = 'asset' then 'input_tax'
            when c.vat_account is null then 'tax_free'
            else 'unknown'
        end
    ) as treatment
from codes as c
left join {{ ref('int_ledgerlou__accounts') }} as a
    on a.tenant_id = c.tenant_id and a.account_number = c.vat_account
left join {{ ref('ref_vat_return_de_tax_codes') }} as o on o.tax_code = c.tax_code
