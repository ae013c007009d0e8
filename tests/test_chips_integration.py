"""The chips marts after a live refresh against the replay server (Epoch's real file; the stand-in's bundled sample in a
lone clone), checked against public record and independent arithmetic."""

import csv
import math

import pytest

from .conftest import REPLAY_HARDWARE, ROOT, q

SEEDS = ROOT / "dbt_project" / "seeds" / "curated"


def seed(name):
    with open(SEEDS / f"{name}.csv", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.real_data  # the recorded file has every curated chip's Epoch name; the bundled sample has 15 chips
def test_every_epoch_chip_plus_the_curated_ones(live_warehouse):
    with open(REPLAY_HARDWARE, newline="", encoding="utf-8-sig") as fh:
        epoch_rows = sum(1 for _ in csv.DictReader(fh))
    curated_only = sum(1 for r in seed("curated_accelerators") if not r["epoch_hardware_name"])
    home = live_warehouse[0]
    assert q(home, "select count(*) from marts.dim_accelerators")[0][0] == epoch_rows + curated_only
    assert q(home, "select count(*) from marts.dim_accelerators where in_epoch")[0][0] == epoch_rows


@pytest.mark.parametrize(
    "chip, oct2022, oct2023a",
    [
        # public record (reference/domain-facts.md 1a-1b, Nvidia 8-Ks): A100 caught by both rules; A800/H800 made
        # to pass Oct-2022 (NVLink 400 GB/s) and caught by Oct-2023; H20 designed under every threshold; RTX 4090
        # banned by Oct-2023 (TPP 5,285); RTX 4090D (TPP 4,707, consumer) sold in China
        ("nvidia_a100_sxm4_80gb", "controlled", "controlled"),
        ("nvidia_a800_sxm", "not_controlled", "controlled"),
        ("nvidia_h800_sxm5", "not_controlled", "controlled"),
        ("nvidia_h100_sxm5", "controlled", "controlled"),
        ("nvidia_h20", "not_controlled", "not_controlled"),
        ("nvidia_rtx_4090", "not_controlled", "controlled"),
        ("nvidia_rtx_4090d", "not_controlled", "not_controlled"),
    ],
)
def test_rule_status_matches_public_record(live_warehouse, chip, oct2022, oct2023a):
    rows = dict(
        q(
            live_warehouse[0],
            "select rule_version, status from marts.fct_accelerator_rule_status where chip_id = ?",
            (chip,),
        )
    )
    assert (rows["oct2022"], rows["oct2023_3a090a"]) == (oct2022, oct2023a)


def test_tpp_and_pd_of_the_h20_and_h100(live_warehouse):
    rows = dict(
        (c, (t, p))
        for c, t, p in q(
            live_warehouse[0],
            "select chip_id, tpp, performance_density from "
            "marts.dim_accelerators where chip_id in ('nvidia_h20', 'nvidia_h100_sxm5')",
        )
    )
    assert rows["nvidia_h20"] == pytest.approx((2368, 2368 / 814), abs=1e-6)  # 148 x 16; / 814 mm² (GH100 die)
    assert rows["nvidia_h100_sxm5"] == pytest.approx((15832, 15832 / 814), abs=1e-6)


def test_a_conflict_stays_visible_and_the_preferred_value_is_used(live_warehouse):
    rows = q(
        live_warehouse[0],
        "select value, origin, is_used from marts.fct_accelerator_spec_values "
        "where chip_id = 'huawei_ascend_910c' and metric = 'dense_bf16_tflops' order by value",
    )
    assert {(v, o) for v, o, _ in rows} >= {(780.0, "curated"), (800.0, "curated")}
    assert [v for v, _, used in rows if used] == [780.0]
    assert any(o == "epoch" for _, o, _ in rows)  # Epoch's own figure is kept beside them


def test_the_910c_claim_sits_beside_the_roofline(live_warehouse):
    reported, prefill, decode, combined = q(
        live_warehouse[0],
        "select reported_ratio, modeled_prefill_ratio, modeled_decode_ratio, "
        "modeled_inference_ratio from marts.fct_inference_claims "
        "where claim_id = 'ascend_910c_60pct_h100_inference'",
    )[0]
    assert reported == 0.6
    assert prefill == pytest.approx(780 / 989.4, abs=1e-6)  # dense BF16, SemiAnalysis vs Nvidia datasheet
    assert decode == pytest.approx(3.2 / 3.35, abs=1e-6)  # HBM bandwidth, TB/s
    assert min(prefill, decode) <= combined <= max(prefill, decode)


def test_systems_add_up_to_their_reported_totals(live_warehouse):
    rows = {
        r[0]: r[1:]
        for r in q(
            live_warehouse[0],
            "select system_id, computed_dense_bf16_pflops, "
            "reported_dense_bf16_pflops, computed_hbm_bandwidth_tbps, "
            "reported_hbm_bandwidth_tbps from marts.fct_system_comparison",
        )
    }
    cm384 = rows["huawei_cloudmatrix_384"]
    assert cm384[0] == pytest.approx(384 * 780 / 1000)  # 299.5 PFLOPS vs "about 300" (SemiAnalysis)
    assert cm384[0] == pytest.approx(cm384[1], rel=0.01)
    assert cm384[2] == pytest.approx(384 * 3.2) and cm384[2] == pytest.approx(cm384[3], rel=0.01)
    nvl72 = rows["nvidia_gb200_nvl72"]
    assert nvl72[0] == pytest.approx(72 * 2.5) and nvl72[0] == pytest.approx(nvl72[1], rel=0.01)


def test_demand_mix_consensus_is_the_mean_of_compute_estimates(live_warehouse):
    estimates = seed("curated_demand_mix_estimates")
    by_year = {}
    for e in estimates:
        if e["scope"] == "compute" and e["inference_share"]:
            by_year.setdefault(int(e["year_described"]), []).append(float(e["inference_share"]))
    rows = q(
        live_warehouse[0],
        "select year, estimate_id, inference_share, training_share, "
        "consensus_inference_share from marts.fct_demand_mix",
    )
    assert len(rows) == len(estimates)
    for year, _, share, training, consensus in rows:
        if share is not None:
            assert share + training == pytest.approx(1)
        expected = by_year.get(year)
        assert (consensus is None) == (expected is None)
        if expected:
            assert consensus == pytest.approx(math.fsum(expected) / len(expected))


def test_corrected_specs_classify_as_their_sources_imply(live_warehouse):
    """Intel's Max 1550 at its matrix rate (Hot Chips 34: 839 TFLOPS, seed 838.9) has TPP 838.9 x 16 = 13,422.4 >= 4,800
    (3A090.a.1, Oct 2023); the Ascend 910's compute die (456.25 mm2, die-shot) gives a performance density of
    4,096 / 456.25 = 8.98 >= 5.92 (3A090.a.2); Trainium1's memory is AWS's per-chip 820 GB/s, not Epoch's 9.8 TB/s."""
    home = live_warehouse[0]
    chips = {
        c: (t, p, bw)
        for c, t, p, bw in q(
            home,
            "select chip_id, tpp, performance_density, memory_bandwidth_tbps "
            "from marts.dim_accelerators where chip_id in "
            "('intel_data_center_gpu_max_1550', 'huawei_ascend_910', "
            "'amazon_trainium1')",
        )
    }
    assert chips["intel_data_center_gpu_max_1550"][0] == pytest.approx(838.9 * 16, rel=1e-9)
    assert chips["huawei_ascend_910"][:2] == pytest.approx((4096, 4096 / 456.25), rel=1e-6)
    assert chips["amazon_trainium1"][2] == pytest.approx(0.82, rel=1e-9)
    status = dict(
        q(
            home,
            "select chip_id, status from marts.fct_accelerator_rule_status "
            "where rule_version = 'oct2023_3a090a' and chip_id in "
            "('intel_data_center_gpu_max_1550', 'huawei_ascend_910')",
        )
    )
    assert status == {"intel_data_center_gpu_max_1550": "controlled", "huawei_ascend_910": "controlled"}


def test_a_chinese_vendor_s_own_chip_is_not_a_us_export_to_china(live_warehouse):
    rows = q(
        live_warehouse[0],
        "select s.destination, s.status, s.status_reason, s.rule_statuses "
        "from marts.fct_accelerator_status_by_period s join marts.dim_accelerators a "
        "using (chip_id) where a.hq_country_iso3 = 'CHN' and s.chip_id = 'huawei_ascend_910c'",
    )
    china = [r for r in rows if r[0] == "china"]
    assert china and all(s == "not_applicable" and "Chinese vendor" in why for _, s, why, _ in china)
    assert any("controlled" in rules for *_, rules in china)  # what its specs would get is still shown
    assert any(s != "not_applicable" for d, s, *_ in rows if d == "tier2")  # to Tier-2 countries the rules still apply
