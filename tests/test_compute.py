"""AI compute by country (issue 16): Epoch's GPU clusters file through the live client (the replay server serves the
real dataset), its parser and bad input, the counting rules on the synthetic sample, and the marts checked against an
independent count of the real file in Python."""

import csv
import io
from collections import defaultdict

import pyarrow.parquet as pq
import pytest

from pipelines.lib import epoch, epoch_landing
from pipelines.lib.config import load_settings
from pipelines.lib.errors import ChipwatchError, ParseError
from pipelines.lib.http import make_session

from .conftest import SHARED, q

REPLAY_CLUSTERS = SHARED / "replay" / "data" / "chips" / "gpu_clusters.csv"
H100_TPP = 15832  # the H100 SXM's TPP in this warehouse: max(989.4 x 16, 1979 x 8) (dim_accelerators)


def client(replay, retries=1):
    return epoch.EpochClient(replay.url, make_session(retries=retries, backoff=0.01), timeout=5)


def sample_body() -> bytes:
    return epoch.SampleEpochClient().fetch_clusters().body


def edited(body: bytes, header=None, cell=None) -> bytes:
    rows = list(csv.reader(io.StringIO(body.decode())))
    if header:
        rows[0] = [header[1] if c == header[0] else c for c in rows[0]]
    if cell:
        name, column, value = cell
        at = rows[0].index(column)
        for row in rows[1:]:
            if row[0] == name:
                row[at] = value
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


@pytest.mark.real_data
def test_the_live_client_fetches_the_published_path_and_keeps_every_record(replay):
    payload = client(replay).fetch_clusters()
    assert [r["path"] for r in replay.log()] == ["/data/gpu_clusters.csv"]
    parsed = epoch.parse_clusters(payload.body, payload.status)
    with open(REPLAY_CLUSTERS, newline="", encoding="utf-8-sig") as fh:
        recorded = list(csv.DictReader(fh))
    assert len(parsed.rows) == len(recorded) == 786
    assert len({r["cluster_key"] for r in parsed.rows}) == 786  # anonymised Chinese rows repeat names and figures
    named = [r for r in parsed.rows if r["country_name"]]
    assert all(r["country_iso3"] for r in named), {r["country_name"] for r in named if not r["country_iso3"]}
    chinese = [r for r in parsed.rows if r["country_iso3"] == "CHN"]
    assert len(chinese) == sum(r["Country"] == "China" for r in recorded)
    assert all(r["owner"] is None for r in chinese if r["cluster_name"] == "Anonymized Chinese System")
    assert parsed.bad_cell_count == 0


def test_a_renamed_column_or_an_unknown_status_fails_naming_it():
    with pytest.raises(ParseError, match=r"gpu_clusters.csv: missing column 'H100 equivalents'"):
        epoch.parse_clusters(edited(sample_body(), header=("H100 equivalents", "H100e")))
    with pytest.raises(ParseError, match=r"line \d+: unknown status 'Rumoured'"):
        epoch.parse_clusters(edited(sample_body(), cell=("Synthetic US Alpha", "Status", "Rumoured")))


def test_dates_in_every_format_the_export_uses_keep_their_precision():
    body = edited(sample_body(), cell=("Synthetic US Alpha", "First Operational Date", "2021-07"))
    body = edited(body, cell=("Synthetic Japan One", "First Operational Date", "not a date"))
    rows = {r["cluster_name"]: r for r in epoch.parse_clusters(body).rows}
    assert (
        str(rows["Synthetic US Alpha"]["first_operational_date"]),
        rows["Synthetic US Alpha"]["first_operational_date_precision"],
    ) == ("2021-07-01", "month")
    assert str(rows["Synthetic France One"]["first_operational_date"]) == "2024-05-01"  # M/D/YYYY
    assert rows["Synthetic Japan One"]["first_operational_date"] is None
    assert rows["Synthetic UAE Campus Phase 2"]["planned_year"] == 2030  # from 'Planned 2030' in the note


@pytest.mark.parametrize(
    "kind, problem",
    [
        ("html", "not CSV"),
        ("empty", "empty body"),
        ("truncated", "truncated or malformed CSV"),
    ],
)
def test_broken_bodies_are_clear_errors(replay, kind, problem):
    replay.control(garble=[f"gpu_clusters:{kind}"])
    payload = client(replay).fetch_clusters()
    with pytest.raises(ParseError, match=problem) as err:
        epoch.parse_clusters(payload.body, payload.status)
    assert str(err.value).startswith("epoch gpu_clusters.csv")


def test_a_failed_fetch_keeps_the_last_good_snapshot_and_the_raw_answer(home, replay, monkeypatch):
    monkeypatch.setenv("CHIPWATCH_EPOCH_URL", replay.url)
    settings = load_settings("live")
    landed = epoch_landing.land_clusters(settings, client(replay))
    snapshot = epoch_landing.clusters_path(settings).read_bytes()
    replay.control(fail=["gpu_clusters:500"])
    with pytest.raises(ChipwatchError, match="gpu_clusters.csv"):
        epoch_landing.land_clusters(settings, client(replay, retries=0))
    assert epoch_landing.clusters_path(settings).read_bytes() == snapshot
    assert pq.read_table(epoch_landing.clusters_path(settings)).num_rows == len(landed.rows)
    kept = sorted((settings.raw_dir / "epoch" / "gpu_clusters.csv").glob("*.body"))
    assert len(kept) == 2


def test_the_sample_is_counted_by_the_documented_rules(sample_warehouse):
    home = sample_warehouse[0]

    def existing(code, year):
        return q(
            home,
            "select existing_h100e from marts.fct_ai_compute_by_country where geography_code = ? and year = ?",
            (code, year),
        )[0][0]

    # the synthetic rows (scripts/make_clusters_sample.py), counted by hand: at the end of 2024 the US has Alpha
    # 20,000 + Beta Phase 2 120,000 (Phase 1, 50,000, superseded that year) + TPU Pod 60,000; the Beta training run
    # (a possible duplicate) and the decommissioned V100 cluster (2018-2022) do not count; Gamma arrives in 2025
    assert existing("USA", 2024) == 200_000
    assert existing("USA", 2023) == 20_000 + 50_000
    assert existing("USA", 2021) == 20_000 + 4_000
    assert existing("USA", 2022) == 20_000  # decommissioned in 2022: gone at the year's end
    assert existing("USA", 2025) == 290_000
    not_counted = dict(
        q(home, "select cluster_name, not_counted_reason from marts.dim_ai_clusters where not counts_as_compute")
    )
    assert not_counted == {"Synthetic US Beta training run": "possible duplicate of Synthetic US Beta Phase 2"}
    assert q(
        home, "select count(*), bool_and(withheld_note is not null) from marts.dim_ai_clusters where is_anonymised"
    ) == [(5, True)]
    # planned additions land in their year, split by certainty: the US Delta (likely) in 2026, Epsilon (unlikely,
    # no year) nowhere; the UAE campus phase 1 (likely, 2026) and phase 2 (unlikely, 2030)
    planned = dict(
        ((c, y), (a, b))
        for c, y, a, b in q(
            home,
            "select geography_code, year, planned_h100e_confirmed_or_likely, planned_h100e_unlikely "
            "from marts.fct_ai_compute_by_country where geography_code in ('USA', 'ARE') and year in (2026, 2030)",
        )
    )
    assert planned[("USA", 2026)] == (400_000, 0) and planned[("ARE", 2026)] == (250_000, 0)
    assert planned[("ARE", 2030)] == (0, 1_500_000)
    worlds = q(
        home,
        "select year, existing_h100e, share_of_world_existing_h100e from marts.fct_ai_compute_by_country "
        "where geography_level = 'world' and year = 2024",
    )
    tiers = q(
        home,
        "select sum(existing_h100e) from marts.fct_ai_compute_by_country "
        "where geography_level = 'tier' and year = 2024",
    )
    assert worlds[0][1] == tiers[0][0] and worlds[0][2] == 1


def test_tier2_countries_are_set_against_the_january_2025_caps(sample_warehouse):
    home = sample_warehouse[0]
    rows = {
        r[0]: r[1:]
        for r in q(
            home,
            "select iso3, existing_h100e, planned_h100e_confirmed_or_likely_by_2027, "
            "allocation_h100e, lpp_h100e_per_customer_year, existing_share_of_allocation, "
            "rule_status_now from marts.fct_tier2_compute_vs_caps",
        )
    }
    assert set(rows) == {"ARE", "SAU", "IND", "SGP", "MYS"}  # Tier 1 (JPN, FRA, KOR) and Tier 3 (CHN) stay out
    existing, by_2027, allocation, lpp, share, status = rows["ARE"]
    # 790,000,000 TPP / 15,832 = 49,898.9 H100e (sources round with 15,831: 49,901); LPP 26,900,000 / 15,832
    assert allocation == pytest.approx(790_000_000 / H100_TPP, abs=1e-6)
    assert lpp == pytest.approx(26_900_000 / H100_TPP, abs=1e-6)
    assert (existing, by_2027) == (15_000, 250_000)
    assert share == pytest.approx(15_000 / (790_000_000 / H100_TPP), abs=1e-9)
    assert status == "rescinded"  # BIS announced the rescission on 2025-05-13


def independent_existing(year: int) -> dict[str, float]:
    """Existing H100e per country at the end of `year` from the recorded file, by the rules dim_ai_clusters
    documents, in plain Python (no code shared with the pipeline)."""
    from datetime import datetime

    def year_of(text):
        text = (text or "").strip()
        if not text:
            return None
        for fmt in ("%m/%d/%Y", "%Y-%m-%d", "%Y-%m", "%Y"):
            try:
                return datetime.strptime(text, fmt).year
            except ValueError:
                pass
        return None

    with open(REPLAY_CLUSTERS, newline="", encoding="utf-8-sig") as fh:
        records = list(csv.DictReader(fh))
    online = {}
    for r in records:
        y = year_of(r["First Operational Date"])
        if r["Status"] in ("Existing", "Decommissioned") and y is not None:
            online[r["Name"]] = min(online.get(r["Name"], y), y)
    totals = defaultdict(float)
    for r in records:
        if r["Possible Duplicate"].upper() == "TRUE" or r["Exclude"].upper() == "TRUE":
            continue
        start, end = year_of(r["First Operational Date"]), year_of(r["Decommissioned Date (if applicable)"])
        if r["Status"] not in ("Existing", "Decommissioned") or start is None or start > year:
            continue
        if r["Status"] == "Decommissioned" and (end is None or end <= year):
            continue
        if r["Superseded by"] and online.get(r["Superseded by"], 9999) <= year:
            continue
        totals[r["Country"] or "unknown"] += float(r["H100 equivalents"] or 0)
    return dict(totals)


@pytest.mark.real_data
def test_the_marts_match_an_independent_count_of_the_real_file(live_warehouse):
    home = live_warehouse[0]
    for year in (2020, 2023, 2024):
        expected = independent_existing(year)
        got = dict(
            q(
                home,
                "select c.country_name, f.existing_h100e from marts.fct_ai_compute_by_country f "
                "join (select distinct country_iso3, first(country_name) over (partition by country_iso3) "
                "as country_name from marts.dim_ai_clusters) c on c.country_iso3 = f.geography_code "
                "where f.geography_level = 'country' and f.year = ? and f.existing_h100e > 0",
                (year,),
            )
        )
        world = q(
            home,
            "select existing_h100e from marts.fct_ai_compute_by_country where geography_level = 'world' and year = ?",
            (year,),
        )[0][0]
        assert world == pytest.approx(sum(expected.values()), rel=1e-9), year
        assert len(got) == len([v for k, v in expected.items() if v > 0 and k != "unknown"])
    top = q(
        home,
        "select geography_code, existing_h100e, share_of_world_existing_h100e "
        "from marts.fct_ai_compute_by_country where geography_level = 'country' and year = 2024 "
        "order by existing_h100e desc limit 2",
    )
    # Epoch: "As of May 2025, the United States contains about three-quarters of global GPU cluster performance, with
    # China in second place" (epoch.ai/data/gpu-clusters)
    assert [t[0] for t in top] == ["USA", "CHN"]
    assert 0.6 < top[0][2] < 0.9
