select
    cast(year as integer) as year,
    cast(ic_imports_usd as double) as ic_imports_usd,
    cast(ic_imports_yoy as double) as ic_imports_yoy,
    cast(ic_import_units_bn as double) as ic_import_units_bn,
    cast(nbs_ic_output_units_bn as double) as nbs_ic_output_units_bn,
    cast(nbs_output_yoy as double) as nbs_output_yoy,
    cast(imports_source_name as {{ dbt.type_string() }}) as imports_source_name,
    cast(imports_source_url as {{ dbt.type_string() }}) as imports_source_url,
    cast(output_source_name as {{ dbt.type_string() }}) as output_source_name,
    cast(output_source_url as {{ dbt.type_string() }}) as output_source_url,
    cast(confidence as {{ dbt.type_string() }}) as confidence,
    cast(note as {{ dbt.type_string() }}) as note
from {{ ref('china_ic_customs') }}
