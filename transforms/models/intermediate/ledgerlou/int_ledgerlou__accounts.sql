{#- LedgerLou's chart of accounts: number, name, type (the reference's `asset`, `liability`,
    `equity`, `revenue`, `expense`) and, from `ref_account_types`, the section and the natural
    sign (1: debit side, -1: credit side); `is_cash` when a bank account books on it. -#}
{%- set m = lac_mapping('ll_accounts', source('lac', 'transform_mapping')) -%}
{%- set b = lac_mapping('ll_bank_accounts', source('lac', 'transform_mapping')) -%}
with accounts as (
    select
        tenant_id,
        account_number,
        {{ lac_field(m, 'name', 'text') }} as account_name,
        lower({{ lac_field(m, 'type', 'text') }}) as account_type
    from {{ ref('stg_ll_accounts') }}
), cash as (
    select distinct tenant_id, {{ lac_field(b, 'ledger_account', 'text') }} as account_number
    from {{ ref('stg_ll_bank_accounts') }}
)
select
    a.tenant_id,
    a.account_number,
    a.account_name,
    a.account_type,
    coalesce(t.account_section, 'other') as account_section,
    coalesce(t.is_balance, false) as is_balance,
    t.natural_sign,
    c.account_number is not null as is_cash
from accounts as a
left join {{ ref('ref_account_types') }} as t on t.account_type = a.account_type
left join cash as c on c.tenant_id = a.tenant_id and c.account_number = a.account_number
