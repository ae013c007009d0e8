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


@pytest.mark.parametrize("chip, oct2022, oct2023a", [
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
])
def test_rule_status_matches_public_record(live_warehouse, chip, oct2022, oct2023a):
    rows = dict(q(live_warehouse[0], "select rule_version, status from marts.fct_accelerator_rule_status "
                                     "where chip_id = ?", (chip,)))
    assert (rows["oct2022"], rows["oct2023_3a090a"]) == (oct2022, oct2023a)


def test_tpp_and_pd_of_the_h20_and_h100(live_warehouse):
    rows = dict((c, (t, p)) for c, t, p in q(live_warehouse[0], "select chip_id, tpp, performance_density from "
                "marts.dim_accelerators where chip_id in ('nvidia_h20', 'nvidia_h100_sxm5')"))
    assert rows["nvidia_h20"] == pytest.approx((2368, 2368 / 814), abs=1e-6)  # 148 x 16; / 814 mm² (GH100 die)
    assert rows["nvidia_h100_sxm5"] == pytest.approx((15832, 15832 / 814), abs=1e-6)


def test_a_conflict_stays_visible_and_the_preferred_value_is_used(live_warehouse):
    rows = q(live_warehouse[0], "select value, origin, is_used from marts.fct_accelerator_spec_values "
                                "where chip_id = 'huawei_ascend_910c' and metric = 'dense_bf16_tflops' order by value")
    assert {(v, o) for v, o, _ in rows} >= {(780.0, "curated"), (800.0, "curated")}
    assert [v for v, _, used in rows if used] == [780.0]
    assert any(o == "epoch" for _, o, _ in rows)  # Epoch's own figure is kept beside them


def test_the_910c_claim_sits_beside_the_roofline(live_warehouse):
    reported, prefill, decode, combined = q(
        live_warehouse[0], "select reported_ratio, modeled_prefill_ratio, modeled_decode_ratio, "
                           "modeled_inference_ratio from marts.fct_inference_claims "
                           "where claim_id = 'ascend_910c_60pct_h100_inference'")[0]
    assert reported == 0.6
    assert prefill == pytest.approx(780 / 989.4, abs=1e-6)  # dense BF16, SemiAnalysis vs Nvidia datasheet
    assert decode == pytest.approx(3.2 / 3.35, abs=1e-6)  # HBM bandwidth, TB/s
    assert min(prefill, decode) <= combined <= max(prefill, decode)


def test_systems_add_up_to_their_reported_totals(live_warehouse):
    rows = {r[0]: r[1:] for r in q(live_warehouse[0], "select system_id, computed_dense_bf16_pflops, "
                                   "reported_dense_bf16_pflops, computed_hbm_bandwidth_tbps, "
                                   "reported_hbm_bandwidth_tbps from marts.fct_system_comparison")}
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
    rows = q(live_warehouse[0], "select year, estimate_id, inference_share, training_share, "
                                "consensus_inference_share from marts.fct_demand_mix")
    assert len(rows) == len(estimates)
    for year, _, share, training, consensus in rows:
        if share is not None:
            assert share + training == pytest.approx(1)
        expected = by_year.get(year)
        assert (consensus is None) == (expected is None)
        if expected:
            assert consensus == pytest.approx(math.fsum(expected) / len(expected))
