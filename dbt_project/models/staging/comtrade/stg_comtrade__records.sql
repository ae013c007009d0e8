-- Comtrade records, typed. Annual and monthly rows stay apart (frequency); only all-customs-procedure (C00),
-- all-modes-of-transport (0), partner2 0 rows are kept, so no total is counted twice.
select
    case freq_code when 'A' then 'annual' when 'M' then 'monthly' end as frequency,
    cast(period as {{ dbt.type_string() }}) as period,
    cast(ref_year as integer) as ref_year,
    case when freq_code = 'M' then cast(ref_month as integer) end as ref_month,
    cast(reporter_code as integer) as reporter_code,
    cast(partner_code as integer) as partner_code,
    case flow_code when 'M' then 'import' when 'X' then 'export' else flow_code end as flow,
    cast(cmd_code as {{ dbt.type_string() }}) as hs_code,
    cast(primary_value as double) as value_usd,
    cast(cif_value as double) as cif_value_usd,
    cast(fob_value as double) as fob_value_usd,
    cast(net_weight_kg as double) as net_weight_kg,
    cast(query_name as {{ dbt.type_string() }}) as query_name
from {{ source('comtrade', 'records') }}
where partner2_code = 0
    and coalesce(customs_code, 'C00') = 'C00'
    and coalesce(mot_code, 0) = 0
