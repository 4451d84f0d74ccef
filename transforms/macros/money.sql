{#- Exact conversions; never through floating point (DuckDB's DECIMAL / 100 would be DOUBLE). -#}

{% macro lac_euros(cents) -%}
    {#- Exact euros DECIMAL(38,2) from integer cents: 1000000000001 -> 10000000000.01. -#}
    cast(cast({{ cents }} as decimal(38,0)) * 0.01 as decimal(38,2))
{%- endmacro %}

{% macro lac_rate(basis_points) -%}
    {#- Exact fraction DECIMAL(10,4) from basis points: 2550 -> 0.2550. -#}
    cast(cast({{ basis_points }} as decimal(18,0)) * 0.0001 as decimal(10,4))
{%- endmacro %}

{% macro lac_percent(basis_points) -%}
    {#- Exact percent DECIMAL(10,2) from basis points: 2550 -> 25.50. -#}
    cast(cast({{ basis_points }} as decimal(18,0)) * 0.01 as decimal(10,2))
{%- endmacro %}
