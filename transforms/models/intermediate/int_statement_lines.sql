{#- The statement-line contract: the API's own statements, one row per line, every source. -#}
{%- set columns -%}
    source_system, customer_id, period, statement_set, statement_path, line_index, statement_kind,
    account_code, account_name, line_key, amount_cents
{%- endset %}
select {{ columns }}
from {{ ref('int_lac__statement_lines') }}
union all
select {{ columns }}
from {{ ref('int_ledgerlou__statement_lines') }}
