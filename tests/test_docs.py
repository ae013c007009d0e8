"""Every mart and every one of its columns is described (the dbt docs site and BI tools show these)."""

import json

from pipelines.defs.dbt import prepared_project


def test_every_mart_and_column_has_a_description():
    manifest = json.loads(prepared_project().manifest_path.read_text())
    marts = [n for n in manifest["nodes"].values()
             if n["resource_type"] == "model" and n["config"].get("schema") == "marts"]
    assert len(marts) >= 20
    missing = [n["name"] for n in marts if not n["description"].strip()]
    missing += [f"{n['name']}.{c}" for n in marts for c, col in n["columns"].items() if not col["description"].strip()]
    assert missing == []
    assert all(n["config"]["contract"]["enforced"] for n in marts)
