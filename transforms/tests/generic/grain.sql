{% test grain(model, columns, nullable=[]) %}
{#- The model's grain: every combination of `columns` occurs once, and none of them is NULL
    (except those listed in `nullable`). Fails with each duplicated or incomplete combination. -#}
select {{ columns | join(', ') }}, count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{%- for column in columns if column not in nullable %}
    or {{ column }} is null
{%- endfor %}
{% endtest %}
