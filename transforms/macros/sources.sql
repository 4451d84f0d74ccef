{% macro lac_source_schema() -%}
    {#- The schema (dataset) holding the loaded tables: var `lac_schema`, else the dataset dlt's
        runner passes (`source_dataset_name`), else the target schema. -#}
    {{- return(var('lac_schema', var('source_dataset_name', target.schema))) -}}
{%- endmacro %}

{% macro lac_existing(relation) -%}
    {#- `relation` if it exists in the warehouse (only known while executing), else none. -#}
    {%- if not execute -%}
        {{- return(none) -}}
    {%- endif -%}
    {{- return(adapter.get_relation(database=relation.database, schema=relation.schema,
                                    identifier=relation.identifier)) -}}
{%- endmacro %}

{% macro lac_max_identifier_length() -%}
    {{- return(63 if target.type == 'postgres' else 255) -}}
{%- endmacro %}

{% macro lac_no_jit() -%}
    {#- PostgreSQL compiles queries it estimates as expensive with JIT; the reconciliation's nested
        views get estimates far above their real cost, and compiling them takes many seconds
        where running them takes milliseconds. Off for the transaction; nothing elsewhere. -#}
    {{- return("set local jit = off" if target.type == 'postgres' else "select 1") -}}
{%- endmacro %}
