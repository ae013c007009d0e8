"""chipwatch dashboard: four views on the published warehouse, read-only.

    make dashboard        # http://127.0.0.1:8501

It opens $CHIPWATCH_HOME/chipwatch.duckdb read-only for each query and closes it again, so it never holds the file
a refresh renames over; a new snapshot shows on the next rerun. It says so plainly when the warehouse was built from
the synthetic sample.
"""

import duckdb
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from pipelines.lib.config import load_settings

WINDOWS = {"[0, 0]": (0, 0), "[0, +1]": (0, 1), "[-1, +1]": (-1, 1), "[0, +5]": (0, 5), "[-5, +5]": (-5, 5)}
REGION_COLORS = {"US": "#1f77b4", "China A-share": "#d62728", "Hong Kong": "#ff7f0e"}


@st.cache_data(ttl=60, show_spinner=False)
def read(sql: str, params: tuple, snapshot: float) -> pd.DataFrame:
    """One read-only query on the published file; `snapshot` (its mtime) keys the cache to the published version."""
    con = duckdb.connect(str(load_settings().published_db), read_only=True)
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


def main() -> None:
    st.set_page_config(page_title="chipwatch", layout="wide")
    db = load_settings().published_db
    st.title("chipwatch — US chip export controls")
    if not db.exists():
        st.error(f"No published warehouse at {db}. Run `make run` (or `chipwatch refresh`) first.")
        return
    snapshot = db.stat().st_mtime
    q = lambda sql, *params: read(sql, params, snapshot)  # noqa: E731

    meta = q("select source_mode, started_at from marts.meta_refreshes order by started_at desc limit 1")
    mode = meta["source_mode"].iloc[0] if len(meta) else "unknown"
    if mode == "sample":
        st.warning("This warehouse was built from the bundled **SYNTHETIC sample**: prices and trade flows are made "
                   "up, not market data. Run `chipwatch refresh --source live` for real figures.")
    else:
        st.caption(f"Built from {mode} sources; refresh started {meta['started_at'].iloc[0]:%Y-%m-%d %H:%M} UTC.")

    event_reaction(q)
    demand_mix(q)
    self_sufficiency(q)
    chips(q)


def event_reaction(q) -> None:
    st.header("Market reaction to each event")
    events = q("select event_id, announced_on, title, category, source_name, source_url, announced_at_basis "
               "from marts.dim_events order by announced_on")
    labels = {f"{r.announced_on:%Y-%m-%d} — {r.title}": r.event_id for r in events.itertuples()}
    left, right = st.columns([3, 1])
    label = left.selectbox("Event", list(labels), index=len(labels) - 1, key="event")
    window = right.selectbox("Window (trading days from t0)", list(WINDOWS), index=1, key="window")
    event = events[events.event_id == labels[label]].iloc[0]
    st.markdown(f"**{event.title}** — announced {event.announced_on:%Y-%m-%d} ({event.announced_at_basis}); "
                f"source: [{event.source_name}]({event.source_url})")
    start, end = WINDOWS[window]
    data = q("""
        select r.symbol, l.listing_name, l.market_region, l.segment, r.event_date, r.abnormal_return, r.t_stat
        from marts.fct_event_returns r join marts.dim_listings l using (symbol)
        where r.event_id = ? and r.window_start = ? and r.window_end = ?
        order by r.abnormal_return""", event.event_id, start, end)
    if data.empty:
        st.info("No listing has a complete window for this event (prices may end before it).")
        return
    data["car_pct"] = 100 * data["abnormal_return"]
    data["side"] = data["market_region"].map(lambda r: "US-listed" if r == "US" else "Chinese listings (A-share, HK)")
    fig = px.bar(data, x="car_pct", y="symbol", color="market_region", facet_col="side", orientation="h",
                 color_discrete_map=REGION_COLORS, hover_data=["listing_name", "segment", "event_date", "t_stat"],
                 labels={"car_pct": f"CAR {window}, %", "symbol": ""},
                 title=f"Cumulative abnormal return {window}: {event.title}")
    fig.update_yaxes(matches=None, showticklabels=True)
    fig.update_layout(height=max(380, 22 * len(data)), legend_title_text="")
    st.plotly_chart(fig, width="stretch", key="reaction")


def demand_mix(q) -> None:
    st.header("AI compute demand: inference share")
    mix = q("select year, estimate_id, source_name, scope, inference_share, is_forecast, consensus_inference_share "
            "from marts.fct_demand_mix where inference_share is not null order by year")
    fig = px.scatter(mix, x="year", y="inference_share", color="scope", symbol="is_forecast",
                     hover_data=["source_name", "estimate_id"], labels={"inference_share": "inference share"},
                     title="Published estimates of the inference share (consensus: mean of compute-scope estimates)")
    consensus = mix.dropna(subset=["consensus_inference_share"]).drop_duplicates("year")
    fig.add_trace(go.Scatter(x=consensus["year"], y=consensus["consensus_inference_share"], mode="lines+markers",
                             name="consensus (compute)", line={"color": "black", "dash": "dot"}))
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    st.plotly_chart(fig, width="stretch", key="demand")


def self_sufficiency(q) -> None:
    st.header("China's semiconductor self-sufficiency against its targets")
    figures = q("select year, metric, value, is_forecast, source_name from marts.fct_self_sufficiency "
                "where metric in ('ic_production_in_china_share', 'china_hq_ic_production_share') order by year")
    targets = q("select target_name, target_value, target_year, status, gap_points, growth_per_year_needed "
                "from marts.fct_self_sufficiency_targets order by target_year")
    figures["kind"] = figures["metric"] + figures["is_forecast"].map({True: " (forecast)", False: ""})
    fig = px.line(figures, x="year", y="value", color="kind", markers=True, hover_data=["source_name"],
                  labels={"value": "share of China's IC market", "kind": ""},
                  title="Share of China's IC market produced in China (IC Insights) vs policy targets")
    fig.add_trace(go.Scatter(x=targets["target_year"], y=targets["target_value"], mode="markers+text",
                             text=targets["target_name"], textposition="top left", name="targets",
                             marker={"symbol": "star", "size": 16, "color": "#d62728"}))
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    st.plotly_chart(fig, width="stretch", key="sufficiency")
    st.dataframe(targets, hide_index=True)


def chips(q) -> None:
    st.header("Accelerators against the export-control thresholds")
    chips_ = q("select chip_id, chip_name, vendor, hq_country_iso3, tpp, performance_density, rule_statuses "
               "from marts.dim_accelerators where tpp is not null and performance_density is not null")
    rules = q("select rule_version, prong, tpp_min, tpp_below, pd_min, pd_below from marts.dim_export_control_rules")
    fig = px.scatter(chips_, x="tpp", y="performance_density", color="hq_country_iso3", hover_name="chip_name",
                     hover_data=["vendor", "rule_statuses"], log_x=True,
                     labels={"tpp": "total processing performance (TPP)", "performance_density": "performance density"},
                     title="TPP vs performance density, with each rule's thresholds")
    for value in sorted({v for v in pd.concat([rules.tpp_min, rules.tpp_below]).dropna()}):
        versions = ", ".join(sorted(set(rules[(rules.tpp_min == value) | (rules.tpp_below == value)].rule_version)))
        fig.add_vline(x=value, line_dash="dash", line_color="grey", annotation_text=f"TPP {value:g} ({versions})",
                      annotation_textangle=-90)
    for value in sorted({v for v in pd.concat([rules.pd_min, rules.pd_below]).dropna()}):
        fig.add_hline(y=value, line_dash="dot", line_color="grey", annotation_text=f"PD {value:g}")
    st.plotly_chart(fig, width="stretch", key="chips")


main()
