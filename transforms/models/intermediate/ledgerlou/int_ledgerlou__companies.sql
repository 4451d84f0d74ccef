{#- LedgerLou's books (tenants) in the company contract (`int_companies`). The reference gives no
    fiscal year or VAT period: calendar fiscal year and monthly VAT returns (the German default). -#}
select distinct
    'ledgerlou' as source_system,
    tenant_id as customer_id,
    cast(1 as integer) as fiscal_year_start_month,
    cast(1 as integer) as vat_period_months
from {{ ref('stg_ll_journal_lines') }}
