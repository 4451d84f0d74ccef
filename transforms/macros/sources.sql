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
