"""Regenerate the bundled offline sample of Epoch AI's GPU clusters dataset: SYNTHETIC rows in the real export's
columns (pipelines/sample/epoch/gpu_clusters.csv), not Epoch's data. Every row is named "Synthetic ..." and says so in
its note. It covers what the marts must handle: existing, planned (with a date, with a year in the note, undated) and
decommissioned clusters, every certainty, a superseded phase, a possible duplicate, anonymised Chinese rows (rounded,
no owner or chip type), a multi-site plan with no country, and Tier 1, 2 and 3 countries.

    .venv/bin/python scripts/make_clusters_sample.py
"""

import csv
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "pipelines" / "sample" / "epoch" / "gpu_clusters.csv"
COLUMNS = [  # the export's header, in its order (epoch.ai/data/gpu_clusters.csv)
    "Name", "Status", "Certainty", "Single cluster?", "Max OP/s (log)", "H100 equivalents", "Chip type (primary)",
    "Chip quantity (primary)", "Country", "Owner", "First Operational Date", "Note", "Sector", "Power Capacity (MW)",
    "Hardware Cost", "Location", "Users", "Hardware note", "Quote", "First Operational Date Note", "Certainty Note",
    "Energy Efficiency (log)", "Builds Upon", "Superseded by", "Possible Duplicate", "Possible Duplicate Of",
    "Chip type (secondary)", "Chip quantity (secondary)", "Total number of AI chips", "GPU Supplier (primary)",
    "GPU supplier (secondary)", "Include in Standard Analysis", "Exclude", "Rank when first operational",
    "16-bit OP/s (log)", "Max OP/s", "8-bit OP/s", "16-bit OP/s", "32-bit OP/s", "Calculated Power Capacity (MW)",
    "Reported Power Capacity (MW)", "Energy Efficiency", "Calculated Cost", "Reported Cost",
    "Reported Cost (Inflation adjusted)", "Cost Quote", "Noteworthy", "Decommissioned Date (if applicable)",
    "Largest existing cluster when first operational", "% of largest cluster when first operational",
    "Source 1", "Source 2", "Source 3", "Source 4", "Source 5",
]
NOTE = "SYNTHETIC sample row for offline runs, not Epoch AI data"
# name, status, certainty, country, owner, first operational date, H100e, chip, quantity, supplier, MW, extra
ROWS = [
    ("Synthetic US Alpha", "Existing", "Confirmed", "United States of America", "Synthetic Labs", "3/15/2021",
     20000, "NVIDIA A100 SXM4 80 GB", 64000, "NVIDIA", 40, {}),
    ("Synthetic US Beta Phase 1", "Existing", "Confirmed", "United States of America", "Synthetic Cloud",
     "6/1/2023", 50000, "NVIDIA H100 SXM5 80GB", 50000, "NVIDIA", 70,
     {"Superseded by": "Synthetic US Beta Phase 2"}),
    ("Synthetic US Beta Phase 2", "Existing", "Confirmed", "United States of America", "Synthetic Cloud",
     "9/1/2024", 120000, "NVIDIA H100 SXM5 80GB", 120000, "NVIDIA", 170,
     {"Builds Upon": "Synthetic US Beta Phase 1"}),
    ("Synthetic US Beta training run", "Existing", "Confirmed", "United States of America", "Synthetic Cloud",
     "10/1/2024", 30000, "NVIDIA H100 SXM5 80GB", 30000, "NVIDIA", 40,
     {"Possible Duplicate": "TRUE", "Possible Duplicate Of": "Synthetic US Beta Phase 2"}),
    ("Synthetic US Gamma", "Existing", "Likely", "United States of America", "Synthetic AI", "2/1/2025",
     90000, "AMD Instinct MI300X", 60000, "AMD", 110, {}),
    ("Synthetic US Old", "Decommissioned", "Confirmed", "United States of America", "Synthetic Lab", "5/1/2018",
     4000, "NVIDIA Tesla V100 SXM2", 16000, "NVIDIA", 12, {"Decommissioned Date (if applicable)": "2022-06"}),
    ("Synthetic US Delta", "Planned", "Likely", "United States of America", "Synthetic AI", "",
     400000, "NVIDIA GB200", 180000, "NVIDIA", 600, {"First Operational Date Note": "Planned 2026"}),
    ("Synthetic US Epsilon", "Planned", "Unlikely", "United States of America", "Synthetic Moonshot", "",
     2000000, "", "", "Unknown", 3000, {"First Operational Date Note": "Planned"}),
    ("Synthetic TPU Pod", "Existing", "Confirmed", "United States of America", "Synthetic Search", "4/1/2024",
     60000, "Google TPU v5p", 30000, "Google", 80, {}),
    ("Anonymized Chinese System", "Existing", "Confirmed", "China", "", "7/1/2022", 20000, "", "", "Anonymized",
     30, {}),
    ("Anonymized Chinese System", "Existing", "Likely", "China", "", "3/1/2024", 30000, "", "", "Anonymized", 50,
     {}),
    ("Anonymized Chinese System", "Existing", "Confirmed", "China", "", "3/1/2024", 30000, "", "", "Anonymized",
     50, {}),
    ("Anonymized Chinese System", "Existing", "Confirmed", "China", "", "1/1/2025", 10000, "", "", "Anonymized",
     20, {}),
    ("Anonymized Chinese System", "Planned", "Likely", "China", "", "", 100000, "", "", "Anonymized", 200,
     {"First Operational Date Note": "Planned 2027"}),
    ("Synthetic Japan One", "Existing", "Confirmed", "Japan", "Synthetic Institute", "11/1/2023", 8000,
     "NVIDIA H100 SXM5 80GB", 8000, "NVIDIA", 12, {}),
    ("Synthetic France One", "Existing", "Confirmed", "France", "Synthetic Cloud EU", "5/1/2024", 6000,
     "NVIDIA H100 SXM5 80GB", 6000, "NVIDIA", 9, {}),
    ("Synthetic Korea One", "Existing", "Likely", "Korea (Republic of)", "Synthetic Telecom", "8/1/2024", 4000,
     "NVIDIA H100 SXM5 80GB", 4000, "NVIDIA", 6, {}),
    ("Synthetic UAE Falcon", "Existing", "Confirmed", "United Arab Emirates", "Synthetic Gulf AI", "6/1/2024",
     15000, "NVIDIA H100 SXM5 80GB", 15000, "NVIDIA", 22, {}),
    ("Synthetic UAE Campus Phase 1", "Planned", "Likely", "United Arab Emirates", "Synthetic Gulf AI", "",
     250000, "NVIDIA GB200", 110000, "NVIDIA", 500, {"First Operational Date Note": "Planned 2026"}),
    ("Synthetic UAE Campus Phase 2", "Planned", "Unlikely", "United Arab Emirates", "Synthetic Gulf AI", "",
     1500000, "", "", "Unknown", 4000, {"First Operational Date Note": "Planned 2030"}),
    ("Synthetic India Mission", "Existing", "Confirmed", "India", "Synthetic India AI", "3/1/2025", 10000,
     "NVIDIA H100 SXM5 80GB", 10000, "NVIDIA", 15, {}),
    ("Synthetic India Sovereign", "Planned", "Confirmed", "India", "Synthetic India AI", "", 18000,
     "NVIDIA H200", 14000, "NVIDIA", 25, {"First Operational Date Note": "Planned 2026"}),
    ("Synthetic Saudi Humain", "Existing", "Likely", "Saudi Arabia", "Synthetic Kingdom AI", "9/1/2025", 12000,
     "NVIDIA H100 SXM5 80GB", 12000, "NVIDIA", 18, {}),
    ("Synthetic Saudi Humain 2", "Planned", "Likely", "Saudi Arabia", "Synthetic Kingdom AI", "", 180000,
     "NVIDIA GB300", 60000, "NVIDIA", 300, {"First Operational Date Note": "Planned 2027"}),
    ("Synthetic Malaysia Johor", "Planned", "Likely", "Malaysia", "Synthetic Johor DC", "", 40000,
     "NVIDIA H200", 30000, "NVIDIA", 60, {"First Operational Date Note": "Planned 2026"}),
    ("Synthetic Singapore One", "Existing", "Confirmed", "Singapore", "Synthetic SG Cloud", "12/1/2023", 5000,
     "NVIDIA H100 SXM5 80GB", 5000, "NVIDIA", 8, {}),
    ("Synthetic Malaysia Ascend", "Existing", "Unlikely", "Malaysia", "Synthetic Johor DC", "6/1/2025", 3000,
     "Huawei Ascend 910C", 5000, "Huawei", 10, {}),
    ("Synthetic Global Plan", "Planned", "Unlikely", "", "Synthetic AI", "", 5000000, "", "", "Unknown", 8000,
     {"Single cluster?": "No", "First Operational Date Note": "Planned 2030"}),
]


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for name, status, certainty, country, owner, first, h100e, chip, qty, supplier, mw, extra in ROWS:
            row = {c: "" for c in COLUMNS}
            row.update({
                "Name": name, "Status": status, "Certainty": certainty, "Single cluster?": "Yes",
                "H100 equivalents": h100e, "Chip type (primary)": chip, "Chip quantity (primary)": qty,
                "Total number of AI chips": qty, "Country": country, "Owner": owner,
                "First Operational Date": first, "Note": NOTE, "Sector": "Private", "Power Capacity (MW)": mw,
                "Hardware Cost": int(h100e * 30000), "GPU Supplier (primary)": supplier,
                "Include in Standard Analysis": "TRUE" if status == "Existing" and not extra.get("Possible Duplicate")
                else "",
            })
            row.update(extra)
            writer.writerow(row)
    print(f"wrote {len(ROWS)} synthetic clusters to {OUT}")


if __name__ == "__main__":
    main()
