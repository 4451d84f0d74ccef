{% macro lac_mapping(view, mapping_relation) -%}
{#-
    field -> [loaded column, ...] for one source table, as decided by `lac`'s mapping discovery:
    var `lac_mapping` ({table: {field: column or [columns]}}) if set, else the `transform_mapping`
    table `lac run` / `lac transform` write next to the loaded tables. Several columns are
    coalesced (they never hold values on the same row). Empty while parsing.
-#}
{%- set configured = var('lac_mapping', none) -%}
{%- if configured is not none -%}
    {%- set mapping = {} -%}
    {%- for field, columns in configured.get(view, {}).items() if columns -%}
        {%- do mapping.update({field: [columns] if columns is string else columns}) -%}
    {%- endfor -%}
    {{- return(mapping) -}}
{%- endif -%}
{%- set relation = lac_existing(mapping_relation) -%}
{%- if relation is none -%}
    {{- return({}) -}}
{%- endif -%}
{%- set rows = run_query(
    "select field, column_name from " ~ relation
    ~ " where view_name = '" ~ view ~ "' and column_name is not null"
) -%}
{%- set mapping = {} -%}
{%- for row in rows -%}
    {%- do mapping.update({row[0]: row[1].split(', ')}) -%}
{%- endfor -%}
{{- return(mapping) -}}
{%- endmacro %}

{% macro lac_field(mapping, field, type) -%}
    {#- The mapped column(s) of `field` cast to `type` (text, bigint, date, decimal, boolean);
        NULL of that type when the field is unresolved. -#}
    {%- set casts = [] -%}
    {%- for column in mapping.get(field, []) -%}
        {%- do casts.append(lac_cast(adapter.quote(column), type)) -%}
    {%- endfor -%}
    {%- if casts | length == 0 -%}
        cast(null as {{ lac_sql_type(type) }})
    {%- elif casts | length == 1 -%}
        {{ casts[0] }}
    {%- else -%}
        coalesce({{ casts | join(', ') }})
    {%- endif -%}
{%- endmacro %}

{% macro lac_cast(expression, type) -%}
    {%- if type == 'date' -%}
        {#- ISO text, possibly with a time part, or an already typed date -#}
        cast(substr(cast({{ expression }} as varchar), 1, 10) as date)
    {%- else -%}
        cast({{ expression }} as {{ lac_sql_type(type) }})
    {%- endif -%}
{%- endmacro %}

{% macro lac_sql_type(type) -%}
    {{- return({'text': 'varchar', 'bigint': 'bigint', 'date': 'date', 'decimal': 'decimal(18,4)',
                'boolean': 'boolean'}[type]) -}}
{%- endmacro %}

{% macro lac_statement_line_key() -%}
    {#- What a statement line is compared by: the cash flow line's key, else the account code; the
        balance sheet line without account that carries the undistributed result: `result`. -#}
    case
        when statement_kind = 'cashflow' then line_key
        when account_code is null and line_key = 'result' then 'result'
        else account_code
    end
{%- endmacro %}
