"""`chipwatch report --out FILE.html`: the story's claims, their verdicts and the one chart behind each, as one
self-contained HTML file (plotly.js inlined once, no network, no server) for people who will not run anything.

Reads the published warehouse read-only; every figure comes from a mart (fct_claims, fct_claim_evidence and the
marts their tests read). A warehouse built from the synthetic sample gets a banner and its verdicts say so.
"""

import html
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go

from .landing import atomic_write_bytes


@dataclass(frozen=True)
class Chart:
    """One chart with the data it plots and the SQL that read them (the dashboard shows both under it)."""

    figure: go.Figure
    sql: str
    data: pd.DataFrame


def _read(con, sql: str, params: tuple = ()) -> tuple[list[tuple], str, pd.DataFrame]:
    frame = con.execute(sql, params).df()
    return list(frame.itertuples(index=False, name=None)), sql, frame


PALETTE = {"blue": "#0072B2", "orange": "#E69F00", "red": "#D55E00", "green": "#009E73", "grey": "#7f7f7f"}  # Okabe-Ito


def _pooled_by_model(claim_id: str, title: str):
    """The pooled family tests of a claim (fct_claim_evidence): the CAAR [0, +1] of each portfolio or listing under
    every model, so the model spread is in view; red where the row supports the claim (q at most 0.05)."""

    def build(con) -> Chart:
        rows, sql, frame = _read(
            con,
            "select test_id, subject, value as caar, p_value as q_value, verdict from marts.fct_claim_evidence "
            "where claim_id = ? and evidence_kind = 'statistical' order by test_order, subject",
            (claim_id,),
        )
        fig = go.Figure(
            go.Bar(
                x=[f"{r[1].replace(' ', '<br>', 1)}<br>on {r[0].split('pooled_on_')[-1]}" for r in rows],
                y=[r[2] for r in rows],
                marker_color=[PALETTE["red"] if r[4] == "supported" else PALETTE["grey"] for r in rows],
                customdata=[[r[3] if r[3] is not None else float("nan"), r[4]] for r in rows],
                hovertemplate="%{x}<br>CAAR %{y:.2%}<br>q %{customdata[0]:.3f}<br>%{customdata[1]}<extra></extra>",
            )
        )
        fig.update_layout(title=title, yaxis_tickformat=".1%", yaxis_title="CAAR [0, +1]")
        return Chart(fig, sql, frame)

    return build


_fig_controls = _pooled_by_model(
    "controls_hit_us_chip_shares",
    "US tightening, pooled: CAAR [0, +1] per model (grey: not significant after the q adjustment)",
)
_fig_turn_to_domestic = _pooled_by_model(
    "chinese_buyers_turn_to_huawei_cambricon",
    "A-share chip portfolio, pooled: CAAR [0, +1] per family and model (grey: not significant after q)",
)


def _fig_demand(con) -> Chart:
    rows, sql, frame = _read(
        con,
        "select year, max(consensus_inference_share) as consensus_inference_share from marts.fct_demand_mix "
        "where consensus_inference_share is not null group by year order by year",
    )
    fig = go.Figure(
        go.Scatter(
            x=[r[0] for r in rows],
            y=[r[1] for r in rows],
            mode="lines+markers",
            line={"color": PALETTE["blue"]},
            name="consensus inference share",
        )
    )
    fig.add_hline(y=0.7, line_dash="dash", line_color=PALETTE["red"], annotation_text="Barclays: up to 70% by 2026")
    fig.update_layout(
        title="Inference share of AI compute: the consensus of published estimates",
        yaxis={"tickformat": ".0%", "range": [0, 1], "title": "share of AI compute"},
    )
    return Chart(fig, sql, frame)


def _fig_h20(con) -> Chart:
    rows, sql, frame = _read(
        con,
        "select f.chip_name, f.inference_index from marts.fct_accelerator_status_by_period s "
        "join marts.fct_inference_fitness f using (chip_id) where s.destination = 'china' "
        "and s.status = 'not_controlled' and s.period_start <= date '2025-04-08' "
        "and (s.period_end > date '2025-04-08' or s.period_end is null) and f.inference_index is not null "
        "order by f.inference_index desc limit 15",
    )
    fig = go.Figure(
        go.Bar(
            x=[r[0] for r in rows],
            y=[r[1] for r in rows],
            marker_color=[PALETTE["orange"] if "H20" in r[0] else PALETTE["grey"] for r in rows],
        )
    )
    fig.update_layout(
        title="Imported chips legal for China on 2025-04-08 (the day before the H20 licence "
        "requirement): the 15 best inference indexes (H100 = 1)",
        yaxis_title="inference index",
    )
    return Chart(fig, sql, frame)


def _fig_910c(con) -> Chart:
    rows, sql, frame = _read(
        con,
        "select claim_id, reported_ratio, modeled_inference_ratio from marts.fct_inference_claims order by claim_id",
    )
    fig = go.Figure(
        [
            go.Bar(name="reported", x=[r[0] for r in rows], y=[r[1] for r in rows], marker_color=PALETTE["grey"]),
            go.Bar(
                name="modeled (roofline)", x=[r[0] for r in rows], y=[r[2] for r in rows], marker_color=PALETTE["blue"]
            ),
        ]
    )
    fig.update_layout(
        title="Published chip-to-chip claims against chipwatch's inference model",
        yaxis={"tickformat": ".0%", "title": "ratio to the reference chip"},
        barmode="group",
    )
    return Chart(fig, sql, frame)


def _fig_tier2(con) -> Chart:
    rows, sql, frame = _read(
        con,
        "select country_name, existing_h100e, planned_h100e_confirmed_or_likely_by_2027, allocation_h100e "
        "from marts.fct_tier2_compute_vs_caps "
        "order by existing_h100e + planned_h100e_confirmed_or_likely_by_2027 desc limit 12",
    )
    fig = go.Figure(
        [
            go.Bar(name="existing", x=[r[0] for r in rows], y=[r[1] for r in rows], marker_color=PALETTE["blue"]),
            go.Bar(
                name="planned by 2027 (confirmed or likely)",
                x=[r[0] for r in rows],
                y=[r[2] for r in rows],
                marker_color=PALETTE["orange"],
            ),
        ]
    )
    if rows:
        fig.add_hline(
            y=rows[0][3],
            line_dash="dash",
            line_color=PALETTE["red"],
            annotation_text=f"January 2025 country allocation: {rows[0][3]:,.0f} H100e",
        )
    fig.update_layout(
        title="Tier-2 countries' known AI compute (Epoch AI) against the January 2025 cap",
        barmode="stack",
        yaxis_title="H100 equivalents",
    )
    return Chart(fig, sql, frame)


def _fig_self_sufficiency(con) -> Chart:
    rows, sql, frame = _read(
        con,
        "select year, avg(value) as share, bool_or(is_forecast) as includes_forecast "
        "from marts.fct_self_sufficiency "
        "where metric = 'ic_production_in_china_share' group by year order by year",
    )
    targets, target_sql, _ = _read(
        con,
        "select target_name, target_value, target_year from marts.fct_self_sufficiency_targets order by target_year",
    )
    fig = go.Figure(
        go.Scatter(
            x=[r[0] for r in rows],
            y=[r[1] for r in rows],
            mode="lines+markers",
            name="share produced in China",
            line={"color": PALETTE["blue"]},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[t[2] for t in targets],
            y=[t[1] for t in targets],
            mode="markers",
            name="targets",
            text=[t[0] for t in targets],
            hovertemplate="%{text}<extra></extra>",
            marker={"symbol": "star", "size": 14, "color": PALETTE["red"]},
        )
    )
    fig.update_layout(
        title="Share of China's IC market produced in China, against its targets",
        yaxis={"tickformat": ".0%", "range": [0, 1], "title": "share"},
    )
    return Chart(fig, f"{sql};\n{target_sql}", frame)


def _fig_systems(con) -> Chart:
    rows, sql, frame = _read(
        con,
        "select system_name, computed_dense_bf16_pflops, reported_power_kw "
        "from marts.fct_system_comparison order by system_name",
    )
    fig = go.Figure(
        [
            go.Bar(
                name="dense BF16 PFLOPS (computed from its chips)",
                x=[r[0] for r in rows],
                y=[r[1] for r in rows],
                marker_color=PALETTE["blue"],
            ),
            go.Bar(
                name="power, kW (reported)",
                x=[r[0] for r in rows],
                y=[r[2] for r in rows],
                marker_color=PALETTE["orange"],
            ),
        ]
    )
    fig.update_layout(title="CloudMatrix 384 against GB200 NVL72", barmode="group")
    return Chart(fig, sql, frame)


CHARTS = {  # claim_id -> the chart that shows why
    "controls_hit_us_chip_shares": _fig_controls,
    "deepseek_shifts_demand_to_inference": _fig_demand,
    "h20_ban_took_best_legal_inference_chip": _fig_h20,
    "chinese_buyers_turn_to_huawei_cambricon": _fig_turn_to_domestic,
    "ascend_910c_60pct_h100_inference": _fig_910c,
    "tier2_plan_compute_and_turn_to_china": _fig_tier2,
    "china_self_sufficiency_70pct_by_2028": _fig_self_sufficiency,
    "cloudmatrix_384_vs_gb200_nvl72": _fig_systems,
}


def charts(con) -> dict[str, Chart]:
    """The chart behind each claim, by claim id, read from an open connection to the published warehouse."""
    return {claim_id: build(con) for claim_id, build in CHARTS.items()}


def render(db: Path) -> str:
    """The report as one HTML document."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        claims = con.execute(
            "select claim_id, wording, verdict, verdict_reason, claimed_by, source_name, source_url, "
            "source_mode from marts.fct_claims order by claim_order"
        ).fetchall()
        built = con.execute("select max(started_at) from marts.meta_refreshes").fetchone()[0]
        figures = {claim_id: CHARTS[claim_id](con).figure for claim_id, *_ in claims if claim_id in CHARTS}
        evidence = con.execute(
            "select claim_id, test_id, evidence_kind, subject, value, p_value, verdict, verdict_reason "
            "from marts.fct_claim_evidence order by claim_id, test_order, subject"
        ).fetchall()
    finally:
        con.close()
    e = html.escape
    mode = claims[0][7] if claims else "unknown"
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>chipwatch: the story, claim by "
        "claim</title><style>body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px;vertical-align:top}"
        ".banner{background:#fff3cd;padding:.8em;border:1px solid #e0c060}</style></head><body>",
        "<h1>US chip export controls: the story, claim by claim</h1>",
        f"<p>Built from the warehouse published "
        f"{e(f'{built:%Y-%m-%d %H:%M} UTC' if built else 'at an unknown time')} "
        f"(source mode: {e(mode)}); report written {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Every "
        "verdict is computed from the marts (fct_claims, fct_claim_evidence).</p>",
    ]
    if mode == "sample":
        parts.append(
            "<p class='banner'><b>SYNTHETIC SAMPLE:</b> prices, factors and trade flows are made up; no verdict "
            "below is evidence.</p>"
        )
    parts.append("<table><tr><th>Claim</th><th>Verdict</th><th>Why</th><th>Claimed by</th></tr>")
    for claim_id, wording, verdict, reason, claimed_by, source_name, url, _ in claims:
        parts.append(
            f"<tr><td><a href='#{e(claim_id)}'>{e(wording)}</a></td><td><b>{e(verdict)}</b></td>"
            f"<td>{e(reason)}</td><td>{e(claimed_by)} (<a href='{e(url)}'>{e(source_name)}</a>)</td></tr>"
        )
    parts.append("</table>")
    first = True
    for claim_id, wording, verdict, reason, *_ in claims:
        parts.append(f"<h2 id='{e(claim_id)}'>{e(wording)}: {e(verdict)}</h2><p>{e(reason)}</p>")
        if claim_id in figures:
            parts.append(figures[claim_id].to_html(full_html=False, include_plotlyjs=first, div_id=f"chart-{claim_id}"))
            first = False
        parts.append(
            "<table><tr><th>Test</th><th>Kind</th><th>Subject</th><th>Value</th><th>p or q</th>"
            "<th>Verdict</th><th>Why</th></tr>"
        )
        for _, test_id, kind, subject, value, p_value, row_verdict, why in (r for r in evidence if r[0] == claim_id):
            parts.append(
                f"<tr><td>{e(test_id)}</td><td>{e(kind)}</td><td>{e(subject or '')}</td>"
                f"<td>{'' if value is None else f'{value:.4g}'}</td>"
                f"<td>{'' if p_value is None else f'{p_value:.3g}'}</td><td>{e(row_verdict)}</td>"
                f"<td>{e(why)}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write(db: Path, out: Path) -> Path:
    """Write the report atomically (a reader never sees half a file); returns its path."""
    atomic_write_bytes(out, render(db).encode())
    return out
