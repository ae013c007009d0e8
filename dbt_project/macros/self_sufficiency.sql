{#- What each self-sufficiency metric measures, in words (one place for the marts that show them). -#}
{% macro self_sufficiency_metric_definition(metric) %}
    case {{ metric }}
        when 'ic_production_in_china_share' then 'Value of ICs produced in China (foreign-owned fabs included) / the China IC market (IC Insights, then TechInsights)'
        when 'china_hq_ic_production_share' then 'Value of ICs produced by China-headquartered firms / the China IC market (IC Insights, then TechInsights)'
        when 'domestic_ai_accelerator_share' then 'Chinese-designed or -branded AI accelerators / all AI accelerators bought in China (units or sales, see basis)'
        when 'nvidia_ai_accelerator_share' then 'Share of Nvidia in the AI accelerators bought in China (units or sales, see basis)'
    end
{% endmacro %}
