{% test reconciliation_passes(model, check_name) %}
{#- Fails with the comparisons of one reconciliation check that differ beyond the tolerance. -#}
select *
from {{ model }}
where check_name = '{{ check_name }}' and status = 'failed'
{% endtest %}
