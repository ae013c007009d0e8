{#- Ordinary least squares with k regressors and an intercept in portable SQL (DuckDB and Spark have only one-regressor
    regr_* aggregates). The regression of y on x_1..x_k is solved from its centred moments: S (k x k, s_i_j =
    n cov(x_i, x_j)) and c (c_i = n cov(x_i, y)) by a Cholesky factorisation S = L L' (l_i_j, i >= j), a forward
    substitution L z = c and a back substitution L' b = z. The slopes are b_1..b_k, the intercept mean_y - sum b_i
    mean_x_i, and the residual sum of squares s_yy - z'z (c'b = c'S^-1 c = z'z). Each step is one CTE that adds its
    columns to the row, so every expression reads only columns of the steps before it.

    ols_moments(k, y, x) are the aggregate columns of one group (k regressors x[0..k-1], the response y; unordered,
    like the market model's regr_* aggregates over the same per-pair rows: with an ordered aggregate per moment the
    large benchmark's fit ran for over nine minutes before it was stopped): ols_n,
    ols_mean_y, ols_mean_x_i, ols_s_i_j, ols_c_i, ols_syy. cholesky_solve_ctes(relation, k, name) then writes the CTEs
    `<name>_l1` ... `<name>_b1` over `relation` (a CTE holding those columns) and ends with `<name>` holding the
    moments, l_i_j, z_i, b_i, ols_alpha and ols_ssr. A pivot at or below 1e-12 of its diagonal moment (a regressor that
    is constant or a combination of the others) leaves l, z, b and the fit null: the caller names that reason. -#}

{% macro ols_moments(k, y, x) -%}
    cast(count(*) as integer) as ols_n,
    avg({{ y }}) as ols_mean_y,
    {%- for i in range(1, k + 1) %}
    avg({{ x[i - 1] }}) as ols_mean_x_{{ i }},
    {%- endfor %}
    {%- for i in range(1, k + 1) %}
    {%- for j in range(1, i + 1) %}
    covar_pop({{ x[i - 1] }}, {{ x[j - 1] }}) * count(*) as ols_s_{{ i }}_{{ j }},
    {%- endfor %}
    covar_pop({{ x[i - 1] }}, {{ y }}) * count(*) as ols_c_{{ i }},
    {%- endfor %}
    var_pop({{ y }}) * count(*) as ols_syy
{%- endmacro %}

{#- the pivot of column j: s_j_j less the squares of row j's earlier entries of L -#}
{% macro _cholesky_pivot(j) -%}
(ols_s_{{ j }}_{{ j }}{% for m in range(1, j) %} - l_{{ j }}_{{ m }} * l_{{ j }}_{{ m }}{% endfor %})
{%- endmacro %}

{% macro _cholesky_diagonal(j) -%}
case when {{ _cholesky_pivot(j) }} > 1e-12 * ols_s_{{ j }}_{{ j }} then sqrt({{ _cholesky_pivot(j) }}) end
{%- endmacro %}

{% macro cholesky_solve_ctes(relation, k, name) -%}
{%- for j in range(1, k + 1) %}
{{ name }}_l{{ j }} as (
    -- column {{ j }} of L, and z_{{ j }} of the forward substitution L z = c
    select
        previous.*,
        {{ _cholesky_diagonal(j) }} as l_{{ j }}_{{ j }},
        {%- for i in range(j + 1, k + 1) %}
        (ols_s_{{ i }}_{{ j }}{% for m in range(1, j) %} - l_{{ i }}_{{ m }} * l_{{ j }}_{{ m }}{% endfor %})
            / {{ _cholesky_diagonal(j) }} as l_{{ i }}_{{ j }},
        {%- endfor %}
        (ols_c_{{ j }}{% for m in range(1, j) %} - l_{{ j }}_{{ m }} * z_{{ m }}{% endfor %})
            / {{ _cholesky_diagonal(j) }} as z_{{ j }}
    from {{ relation if j == 1 else name ~ '_l' ~ (j - 1) }} as previous
),
{%- endfor %}
{%- for j in range(k, 0, -1) %}
{{ name }}_b{{ j }} as (
    -- b_{{ j }} of the back substitution L' b = z
    select
        previous.*,
        (z_{{ j }}{% for m in range(j + 1, k + 1) %} - l_{{ m }}_{{ j }} * b_{{ m }}{% endfor %}) / l_{{ j }}_{{ j }}
            as b_{{ j }}
    from {{ name ~ '_l' ~ k if j == k else name ~ '_b' ~ (j + 1) }} as previous
),
{%- endfor %}
{{ name }} as (
    select
        previous.*,
        ols_mean_y{% for i in range(1, k + 1) %} - b_{{ i }} * ols_mean_x_{{ i }}{% endfor %} as ols_alpha,
        ols_syy{% for i in range(1, k + 1) %} - z_{{ i }} * z_{{ i }}{% endfor %} as ols_ssr
    from {{ name }}_b1 as previous
)
{%- endmacro %}

{#- The forward substitution L w = d for a right-hand side d_1..d_k (columns `d_prefix`1..k) of rows that carry the
    fit's l_i_j: CTEs `<name>_w1` ... ending with `<name>` adding w_1..w_k and w_squared (w'w = d' S^-1 d, the
    quadratic form of a prediction's variance). -#}
{% macro forward_substitution_ctes(relation, k, d_prefix, name) -%}
{%- for j in range(1, k + 1) %}
{{ name }}_w{{ j }} as (
    select
        previous.*,
        ({{ d_prefix }}{{ j }}{% for m in range(1, j) %} - l_{{ j }}_{{ m }} * w_{{ m }}{% endfor %}) / l_{{ j }}_{{ j }}
            as w_{{ j }}
    from {{ relation if j == 1 else name ~ '_w' ~ (j - 1) }} as previous
),
{%- endfor %}
{{ name }} as (
    select previous.*, {% for i in range(1, k + 1) %}w_{{ i }} * w_{{ i }}{{ ' + ' if not loop.last }}{% endfor %}
        as w_squared
    from {{ name }}_w{{ k }} as previous
)
{%- endmacro %}
