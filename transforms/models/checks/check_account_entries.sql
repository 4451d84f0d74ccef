{#- `account_entries` (double-entry ledgers, LedgerLou): per company, account and month that
    `ll_account_entries` holds (the opt-in `entry_accounts`), the API's running balance after the
    month's last entry (the highest `line_index`: the entries in the order the API returned them)
    against the account's opening balance (`int_ledger_account_anchors`) plus the journal lines'
    cumulative debit - credit up to the end of that month (`int_ledger_lines`). Both sides are
    debit - credit since the first booking, in the books' currency; a last entry without a running
    balance counts as zero. No rows without the table. -#}
{%- set e = lac_mapping('ll_account_entries', source('lac', 'transform_mapping')) -%}
with entries as (
    select
        tenant_id,
        account_number,
        period,
        line_index,
        {{ lac_field(e, 'running_balance', 'bigint') }} as running_cents
    from {{ ref('stg_ll_account_entries') }}
), last_entries as (
    select tenant_id, account_number, period, max(line_index) as line_index
    from entries
    group by tenant_id, account_number, period
), reported as (
    select e.tenant_id, e.account_number, e.period, e.running_cents
    from entries as e
    join last_entries as l
        on l.tenant_id = e.tenant_id and l.account_number = e.account_number
        and l.period = e.period and l.line_index = e.line_index
), movements as (
    select customer_id, account_code, period, sum(debit_cents - credit_cents) as movement_cents
    from {{ ref('int_ledger_lines') }}
    where source_system = 'ledgerlou' and ledger_model = 'double_entry'
    group by customer_id, account_code, period
    union all
    select customer_id, account_code, first_period, opening_cents
    from {{ ref('int_ledger_account_anchors') }}
    where source_system = 'ledgerlou'
)
select
    'ledgerlou' as source_system,
    r.tenant_id as customer_id,
    r.period,
    'account_entries' as check_name,
    r.account_number as line_key,
    cast(coalesce(r.running_cents, 0) as bigint) as expected_cents,
    cast(coalesce(sum(m.movement_cents), 0) as bigint) as actual_cents
from reported as r
left join movements as m
    on m.customer_id = r.tenant_id and m.account_code = r.account_number and m.period <= r.period
group by r.tenant_id, r.account_number, r.period, r.running_cents
