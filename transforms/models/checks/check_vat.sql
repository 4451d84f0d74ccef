{#- The API's VAT sheet (expected) against the ledger's VAT (`int_ledger_vat`, actual), per company,
    month, VAT code and rate: `vat_base`, `vat_output`, `vat_input`. Only months with VAT sheet rows
    are compared; a line missing on one side counts as zero. -#}
with sheet as (
    select
        source_system,
        customer_id,
        period,
        vat_code || ' ' || cast(coalesce(vat_rate_basis_points, 0) as varchar) as line_key,
        sum(base_cents) as base_cents,
        sum(output_vat_cents) as output_vat_cents,
        sum(input_vat_cents) as input_vat_cents
    from {{ ref('int_vat_sheet_lines') }}
    group by source_system, customer_id, period,
        vat_code || ' ' || cast(coalesce(vat_rate_basis_points, 0) as varchar)
), sheet_months as (
    select distinct source_system, customer_id, period from sheet
), ledger as (
    select
        v.source_system,
        v.customer_id,
        v.period,
        v.vat_code || ' ' || cast(coalesce(v.vat_rate_basis_points, 0) as varchar) as line_key,
        sum(v.base_cents) as base_cents,
        sum(v.output_vat_cents) as output_vat_cents,
        sum(v.input_vat_cents) as input_vat_cents
    from {{ ref('int_ledger_vat') }} as v
    join sheet_months as m
        on m.source_system = v.source_system and m.customer_id = v.customer_id and m.period = v.period
    group by v.source_system, v.customer_id, v.period,
        v.vat_code || ' ' || cast(coalesce(v.vat_rate_basis_points, 0) as varchar)
), joined as (
    select
        coalesce(s.source_system, l.source_system) as source_system,
        coalesce(s.customer_id, l.customer_id) as customer_id,
        coalesce(s.period, l.period) as period,
        coalesce(s.line_key, l.line_key) as line_key,
        coalesce(s.base_cents, 0) as sheet_base,
        coalesce(l.base_cents, 0) as ledger_base,
        coalesce(s.output_vat_cents, 0) as sheet_output,
        coalesce(l.output_vat_cents, 0) as ledger_output,
        coalesce(s.input_vat_cents, 0) as sheet_input,
        coalesce(l.input_vat_cents, 0) as ledger_input
    from sheet as s
    full outer join ledger as l
        on l.source_system = s.source_system and l.customer_id = s.customer_id
        and l.period = s.period and l.line_key = s.line_key
)
select source_system, customer_id, period, 'vat_base' as check_name, line_key,
    cast(sheet_base as bigint) as expected_cents, cast(ledger_base as bigint) as actual_cents
from joined
union all
select source_system, customer_id, period, 'vat_output', line_key,
    cast(sheet_output as bigint), cast(ledger_output as bigint)
from joined
union all
select source_system, customer_id, period, 'vat_input', line_key,
    cast(sheet_input as bigint), cast(ledger_input as bigint)
from joined
