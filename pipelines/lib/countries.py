"""Countries from pycountry (ISO 3166-1: alpha-3, numeric = UN M49 for countries, names), with the codes UN Comtrade
uses where they differ from ISO numeric, and its non-country areas.

Comtrade's own area codes (reference list partnerAreas.json, comtradeapi.un.org/files/v1/app/reference/) differ from
ISO numeric for a few reporters because of historical territory definitions, and Taiwan is reported as 490
"Other Asia, nes". Those few are listed here; everything else comes from the library.
"""

import csv
from pathlib import Path

import pyarrow as pa
import pycountry

from .config import DBT_PROJECT_DIR

COMTRADE_CODE_EXCEPTIONS = {  # ISO alpha-3 -> Comtrade area code (ISO numeric in the comment)
    "USA": 842,  # 840: Comtrade's USA includes Puerto Rico and the US Virgin Islands
    "FRA": 251,  # 250: France incl. Monaco
    "IND": 699,  # 356
    "NOR": 579,  # 578: incl. Svalbard and Jan Mayen
    "CHE": 757,  # 756: incl. Liechtenstein
    "TWN": 490,  # 158: "Other Asia, nes" in Comtrade
}
COMTRADE_AREAS = {0: "World"}  # non-country areas chipwatch asks for

SCHEMA = pa.schema(
    [
        ("iso3", pa.string()),
        ("iso_numeric", pa.int32()),
        ("comtrade_code", pa.int32()),
        ("country_name", pa.string()),
        ("comtrade_name", pa.string()),
        ("is_country", pa.bool_()),
    ]
)


def countries_path(settings) -> Path:
    return settings.parquet_dir / "reference" / "countries.parquet"


def countries_table() -> pa.Table:
    rows = []
    for c in pycountry.countries:
        numeric = int(c.numeric)
        comtrade = COMTRADE_CODE_EXCEPTIONS.get(c.alpha_3, numeric)
        name = getattr(c, "common_name", None) or c.name
        rows.append(
            {
                "iso3": c.alpha_3,
                "iso_numeric": numeric,
                "comtrade_code": comtrade,
                "country_name": name,
                "comtrade_name": "Other Asia, nes" if c.alpha_3 == "TWN" else name,
                "is_country": True,
            }
        )
    for code, name in COMTRADE_AREAS.items():
        rows.append(
            {
                "iso3": None,
                "iso_numeric": None,
                "comtrade_code": code,
                "country_name": name,
                "comtrade_name": name,
                "is_country": False,
            }
        )
    return pa.Table.from_pylist(rows, schema=SCHEMA)


# Spellings other datasets use that pycountry's lookup (alpha codes, names, official and common names) does not know:
# Epoch AI's GPU clusters dataset writes countries in the UN's "short name (article)" style.
NAME_ALIASES = {
    "korea (republic of)": "KOR",
    "republic of korea": "KOR",
    "south korea": "KOR",
    "korea (democratic people's republic of)": "PRK",
    "north korea": "PRK",
    "philippines (the)": "PHL",
    "netherlands (the)": "NLD",
    "united arab emirates (the)": "ARE",
    "russia": "RUS",
    "vietnam": "VNM",
    "iran": "IRN",
    "turkey": "TUR",
    "laos": "LAO",
    "syria": "SYR",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "tanzania": "TZA",
    "moldova": "MDA",
    "macau": "MAC",
}


def iso3_for_name(name: str | None) -> str | None:
    """The ISO 3166-1 alpha-3 code for a country name as other datasets write it, or None when it names no country
    pycountry or NAME_ALIASES knows (the caller keeps the name and says so)."""
    text = (name or "").strip()
    if not text:
        return None
    alias = NAME_ALIASES.get(text.lower())
    if alias:
        return alias
    try:
        return pycountry.countries.lookup(text).alpha_3
    except LookupError:
        return None


TIERS_SEED = DBT_PROJECT_DIR / "seeds" / "curated" / "diffusion_tiers.csv"


def tier2_comtrade_codes(seed: Path = TIERS_SEED) -> tuple[int, ...]:
    """Comtrade codes of the AI Diffusion Framework's Tier-2 countries: every country the curated tier list (the
    dbt seed diffusion_tiers, the one list of tiers) does not put in Tier 1 or 3, as int_countries_tiered does."""
    with open(seed, newline="") as fh:
        listed = {row["iso3"] for row in csv.DictReader(fh)}
    return tuple(
        sorted(
            row["comtrade_code"]
            for row in countries_table().to_pylist()
            if row["is_country"] and row["iso3"] not in listed
        )
    )
