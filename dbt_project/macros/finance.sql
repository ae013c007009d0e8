{#- Portable finance helpers (plain SQL on every engine). -#}

{#- compounded return of a set of simple daily returns, as an aggregate: prod(1 + r) - 1 -#}
{% macro compound_return(r) %}(exp(sum(ln(1 + {{ r }}))) - 1){% endmacro %}
