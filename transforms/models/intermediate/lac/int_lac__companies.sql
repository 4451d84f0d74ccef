{#- LAC's company profile mapped into the company contract (`int_companies`). -#}
{%- set m = lac_mapping('company', source('lac', 'transform_mapping')) -%}
select
    'lac' as source_system,
    customer_id,
    cast({{ lac_field(m, 'fiscal_year_start_month', 'bigint') }} as integer) as fiscal_year_start_month,
    cast({{ lac_field(m, 'vat_period_months', 'bigint') }} as integer) as vat_period_months
from {{ ref('stg_company') }}
