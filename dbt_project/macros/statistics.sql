{#- Distribution functions for the event study's p-values and confidence intervals, in portable SQL (neither DuckDB
    nor Spark has a normal or Student t CDF). Accuracy against scipy.stats is measured by tests/test_statistics.py. -#}

{#- Upper tail of the standard normal, P(Z > |x|): Hart's (1968) double-precision rational approximation as given by
    West (2005), "Better approximations to cumulative normal functions", Wilmott, fig. 2. Relative error < 1e-8 at
    every |x| < 37 (exactly 0 beyond). -#}
{% macro normal_upper_tail(x) -%}
{%- set x = '(' ~ x ~ ')' -%}
(case
    when abs({{ x }}) >= 37 then cast(0 as double)
    when abs({{ x }}) < 7.07106781186547e0 then
        exp(-abs({{ x }}) * abs({{ x }}) / 2)
        * ((((((0.0352624965998911e0 * abs({{ x }}) + 0.700383064443688e0) * abs({{ x }}) + 6.37396220353165e0)
            * abs({{ x }}) + 33.912866078383e0) * abs({{ x }}) + 112.079291497871e0) * abs({{ x }}) + 221.213596169931e0)
            * abs({{ x }}) + 220.206867912376e0)
        / (((((((0.0883883476483184e0 * abs({{ x }}) + 1.75566716318264e0) * abs({{ x }}) + 16.064177579207e0)
            * abs({{ x }}) + 86.7807322029461e0) * abs({{ x }}) + 296.564248779674e0) * abs({{ x }}) + 637.333633378831e0)
            * abs({{ x }}) + 793.826512519948e0) * abs({{ x }}) + 440.413735824752e0)
    else
        exp(-abs({{ x }}) * abs({{ x }}) / 2)
        / (abs({{ x }}) + 1 / (abs({{ x }}) + 2 / (abs({{ x }}) + 3 / (abs({{ x }}) + 4 / (abs({{ x }}) + 0.65e0)))))
        / 2.506628274631e0
end)
{%- endmacro %}

{#- Two-sided p-value of a standard normal statistic z. -#}
{% macro normal_two_sided_p(z) %}(2 * {{ normal_upper_tail(z) }}){% endmacro %}

{#- A Student t statistic with `df` degrees of freedom as the standard normal deviate with the same two-sided tail:
    Hill's (1970) normalizing transformation (Comm. ACM 13(10), algorithm 395, the large-df branch). Its two-sided
    p-value is then normal_two_sided_p of the deviate: absolute error < 1e-8 for df >= 9 (the smallest df a group test
    uses); null when df < 9 or t is null.
    Compute the deviate as a column in one CTE and the p-value in the next one: the deviate repeats t 42 times and
    the normal tail repeats its argument 23 times, so one expression for both repeats t ~1,000 times (~40 KB of SQL per
    p-value), which ran Spark's code generator out of driver heap in fct_event_group_reactions (three p-values in one
    select). Split, Spark keeps the two projections apart (it does not inline an expression a consumer uses twice). -#}
{% macro student_t_normal_deviate(t, df) -%}
{%- set t = '(' ~ t ~ ')' -%}{%- set df = 'cast(' ~ df ~ ' as double)' -%}
(case when {{ df }} >= 9 and {{ t }} is not null then
    {{ hill_normal_deviate(t, df) }}
end)
{%- endmacro %}

{% macro hill_normal_deviate(t, df) -%}
(
    ((((( -0.4e0 * {{ hill_y(t, df) }} - 3.3e0) * {{ hill_y(t, df) }} - 24.0e0) * {{ hill_y(t, df) }} - 85.5e0)
        / (0.8e0 * {{ hill_y(t, df) }} * {{ hill_y(t, df) }} + 100.0e0 + 48 * ({{ df }} - 0.5e0) * ({{ df }} - 0.5e0))
        + {{ hill_y(t, df) }} + 3.0e0) / (48 * ({{ df }} - 0.5e0) * ({{ df }} - 0.5e0)) + 1.0e0)
    * sqrt({{ hill_y(t, df) }})
)
{%- endmacro %}

{#- (df - 1/2) * ln(1 + t^2 / df); for tiny t^2/df the log's argument loses digits, so ln(1 + u) ~ u there. -#}
{% macro hill_y(t, df) -%}
(({{ df }} - 0.5e0) * case
    when {{ t }} * {{ t }} / {{ df }} > 1e-6 then ln(1 + {{ t }} * {{ t }} / {{ df }})
    else {{ t }} * {{ t }} / {{ df }}
end)
{%- endmacro %}

{#- The 97.5% quantile of Student's t with `df` degrees of freedom (the half-width of a 95% interval in standard
    errors): the Cornish-Fisher expansion around the normal quantile to the df^-4 term (Abramowitz and Stegun
    26.7.5). Error < 4e-8 for df >= 30; null below that. -#}
{% macro student_t_975(df) -%}
{%- set df = 'cast(' ~ df ~ ' as double)' -%}
(case when {{ df }} >= 30 then
    1.959963984540054e0
    + 9.489084921194248e0 / (4 * {{ df }})
    + 270.95986711100267e0 / (96 * {{ df }} * {{ df }})
    + 981.4462769309653e0 / (384 * {{ df }} * {{ df }} * {{ df }})
    + 146491.45836077468e0 / (92160 * {{ df }} * {{ df }} * {{ df }} * {{ df }})
end)
{%- endmacro %}
