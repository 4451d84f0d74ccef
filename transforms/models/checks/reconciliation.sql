{#- What needs attention: every comparison of `reconciliation_checks` that is not `ok` (failed,
    tolerated or skipped). Empty when everything reconciles. -#}
select
    run_at, source_system, customer_id, period, check_name, line_key, expected_cents, actual_cents,
    difference_cents, within_tolerance, status, severity
from {{ ref('reconciliation_checks') }}
where status <> 'ok'
