{% macro lac_staging(source_relation, empty_columns={}) -%}
{#-
    One loaded table as loaded, for a `stg_` model:
    - every column except `_lac_tombstone`, whose rows are filtered out too (dlt never stores
      them; the filter only guards against that changing);
    - an integer column `x_cents` (at any depth: `cells__amounts__net_cents`) gains `x`, exact
      euros DECIMAL(38,2); an integer column `x_basis_points` gains `x` DECIMAL(10,4) (2550 ->
      0.2550) and `x_percent` DECIMAL(10,2) (25.50);
    - a derived name that is already a column (or already derived) gets `_dec` appended.
    Columns are read from the warehouse when the model runs, so new upstream columns appear on the
    next build without code changes. A table that is not loaded gives no rows and the columns of
    `empty_columns` (name -> SQL type), so the models reading it still build.
-#}
{%- set relation = lac_existing(source_relation) -%}
{%- if relation is none %}
select
    {%- for name, type in empty_columns.items() %}
    cast(null as {{ type }}) as {{ adapter.quote(name) }}{{ "," if not loop.last }}
    {%- endfor %}
where 1 = 0
{%- else -%}
{%- set columns = adapter.get_columns_in_relation(relation) -%}
{%- set taken = columns | map(attribute='name') | list -%}
{%- set select = [] -%}
{%- for column in columns if column.name != '_lac_tombstone' -%}
    {%- set quoted = adapter.quote(column.name) -%}
    {%- do select.append(quoted) -%}
    {%- if lac_is_integer(column) -%}
        {%- if column.name.endswith('_cents') and column.name | length > 6 -%}
            {%- set euros = lac_unique_name(column.name[:-6], taken) -%}
            {%- do select.append(lac_euros(quoted) ~ ' as ' ~ adapter.quote(euros)) -%}
        {%- elif column.name.endswith('_basis_points') and column.name | length > 13 -%}
            {%- set stem = lac_unique_name(column.name[:-13], taken) -%}
            {%- do select.append(lac_rate(quoted) ~ ' as ' ~ adapter.quote(stem)) -%}
            {%- set pct = lac_unique_name(stem ~ '_percent', taken) -%}
            {%- do select.append(lac_percent(quoted) ~ ' as ' ~ adapter.quote(pct)) -%}
        {%- endif -%}
    {%- endif -%}
{%- endfor %}
select
    {{ select | join(',\n    ') }}
from {{ relation }}
{%- if '_lac_tombstone' in taken %}
where {{ adapter.quote('_lac_tombstone') }} is not true
{%- endif -%}
{%- endif -%}
{%- endmacro %}

{% macro lac_is_integer(column) -%}
    {#- Integer (or decimal) columns, as dlt loads `bigint` / `decimal` on DuckDB and PostgreSQL. -#}
    {%- set dtype = column.dtype | lower -%}
    {{- return(dtype.startswith(('bigint', 'integer', 'int', 'smallint', 'hugeint', 'ubigint', 'numeric', 'decimal'))) -}}
{%- endmacro %}

{% macro lac_unique_name(name, taken) -%}
    {#- `name`, with `_dec` appended while it is taken; registered in `taken`. -#}
    {%- set limit = lac_max_identifier_length() -%}
    {%- set ns = namespace(name=name[:limit]) -%}
    {%- for _ in range(10) if ns.name in taken -%}
        {%- set ns.name = ns.name[:limit - 4] ~ '_dec' -%}
    {%- endfor -%}
    {%- do taken.append(ns.name) -%}
    {{- return(ns.name) -}}
{%- endmacro %}
