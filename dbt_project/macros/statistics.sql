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
    errors): from 30 df the Cornish-Fisher expansion around the normal quantile to the df^-4 term (Abramowitz and
    Stegun 26.7.5; error < 4e-8); below 30 the quantile itself for each integer df (scipy.stats.t.ppf(0.975, df),
    checked by tests/test_statistics.py). Null below 1 df. -#}
{% macro student_t_975(df) -%}
{%- set df = 'cast(' ~ df ~ ' as double)' -%}
{%- set small = [12.706204736174694, 4.302652729749462, 3.1824463052837078, 2.7764451051977934, 2.5705818356363146,
                 2.4469118511449786, 2.364624251592784, 2.306004135204166, 2.262157162798205, 2.228138851986274,
                 2.200985160091639, 2.1788128296672284, 2.1603686564627913, 2.144786687917804, 2.131449545559776,
                 2.1199052992212546, 2.1098155778333156, 2.1009220402410382, 2.0930240544083087, 2.085963447265864,
                 2.0796138447276795, 2.0738730679040254, 2.0686576104190486, 2.0638985616280245, 2.0595385527532972,
                 2.0555294386428735, 2.0518305164802846, 2.0484071417952454, 2.045229642132703] -%}
(case when {{ df }} >= 30 then
    1.959963984540054e0
    + 9.489084921194248e0 / (4 * {{ df }})
    + 270.95986711100267e0 / (96 * {{ df }} * {{ df }})
    + 981.4462769309653e0 / (384 * {{ df }} * {{ df }} * {{ df }})
    + 146491.45836077468e0 / (92160 * {{ df }} * {{ df }} * {{ df }} * {{ df }})
{%- for q in small %}
    when {{ df }} = {{ loop.index }} then {{ q }}e0
{%- endfor %}
end)
{%- endmacro %}

{#- For the exact small-df p-value below: theta = atan(|t| / sqrt(df)), computed as a column first. -#}
{% macro student_t_theta(t, df) -%}
atan(abs({{ t }}) / sqrt(cast({{ df }} as double)))
{%- endmacro %}

{#- Two-sided p-value of Student's t with 1 to 8 degrees of freedom, exactly: 1 - A(t|df), with A the finite series of
    Abramowitz and Stegun 26.7.3 (odd df) and 26.7.4 (even df) in theta = atan(|t| / sqrt(df)) (a column: see
    student_t_theta). Null for any other df. Pooled tests across a handful of events have so few degrees of freedom;
    from 9 df on, Hill's deviate (student_t_normal_deviate) is within 1e-8. -#}
{% macro student_t_two_sided_p_small_df(theta, df) -%}
{%- set th = '(' ~ theta ~ ')' -%}
(case cast({{ df }} as integer)
{%- for nu in range(1, 9) %}
    {%- set terms = [] %}
    {%- if nu % 2 == 1 %}
        {%- set c = namespace(v=1.0) %}
        {%- for k in range(1, nu - 1, 2) %}
            {%- do terms.append(c.v ~ 'e0 * power(cos(' ~ th ~ '), ' ~ k ~ ')') %}
            {%- set c.v = c.v * (k + 1) / (k + 2) %}
        {%- endfor %}
    when {{ nu }} then 1 - 2 / pi() * ({{ th }}{% if terms %} + sin({{ th }}) * ({{ terms | join(' + ') }}){% endif %})
    {%- else %}
        {%- set c = namespace(v=1.0) %}
        {%- for k in range(0, nu - 1, 2) %}
            {%- do terms.append(c.v ~ 'e0 * power(cos(' ~ th ~ '), ' ~ k ~ ')') %}
            {%- set c.v = c.v * (k + 1) / (k + 2) %}
        {%- endfor %}
    when {{ nu }} then 1 - sin({{ th }}) * ({{ terms | join(' + ') }})
    {%- endif %}
{%- endfor %}
end)
{%- endmacro %}

{#- Two-sided p-value of Student's t at any df >= 1, from two columns computed one CTE earlier: Hill's normal deviate
    (student_t_normal_deviate, df >= 9) and theta (student_t_theta, df 1 to 8). -#}
{% macro student_t_two_sided_p(deviate, theta, df) -%}
(case
    when cast({{ df }} as double) >= 9 then {{ normal_two_sided_p(deviate) }}
    when cast({{ df }} as double) >= 1 then {{ student_t_two_sided_p_small_df(theta, df) }}
end)
{%- endmacro %}

{#- Wilcoxon's signed-rank statistic W+ of n values as a standard normal deviate (its null mean n(n+1)/4 and variance
    n(n+1)(2n+1)/24, no continuity correction: scipy.stats.wilcoxon(method='approx', correction=False)). For n above
    the exact table (int_signed_rank_null_cdf); its p-value is normal_two_sided_p of it, one CTE later. -#}
{% macro signed_rank_normal_z(w, n) -%}
{%- set n = 'cast(' ~ n ~ ' as double)' -%}
(({{ w }} - {{ n }} * ({{ n }} + 1) / 4) / sqrt({{ n }} * ({{ n }} + 1) * (2 * {{ n }} + 1) / 24))
{%- endmacro %}
