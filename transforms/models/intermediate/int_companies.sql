{#- The company contract: each company's fiscal year start and VAT period length, every source. -#}
select source_system, customer_id, fiscal_year_start_month, vat_period_months
from {{ ref('int_lac__companies') }}
union all
select source_system, customer_id, fiscal_year_start_month, vat_period_months
from {{ ref('int_ledgerlou__companies') }}
