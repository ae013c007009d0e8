"""chipwatch dashboard: six pages (the claims first) on the published warehouse, read-only.

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
from plotly.subplots import make_subplots

from pipelines.lib import report
from pipelines.lib.config import load_settings
from pipelines.lib.csv_safety import neutralise_frame

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
    if not db.exists():
        st.title("chipwatch — US chip export controls")
        st.error(f"No published warehouse at {db}. Run `make run` (or `chipwatch refresh`) first.")
        return
    snapshot = db.stat().st_mtime
    q = lambda sql, *params: read(sql, params, snapshot)  # noqa: E731

    meta = q("select source_mode, started_at from marts.meta_refreshes order by started_at desc limit 1")
    mode = meta["source_mode"].iloc[0] if len(meta) else "unknown"
    if mode == "sample":
        st.warning(
            "This warehouse was built from the bundled **SYNTHETIC sample**: prices, factors and trade flows are made "
            "up, not market data, and no verdict is evidence. Run `chipwatch refresh --source live` for real "
            "figures."
        )
    else:
        st.caption(f"Built from {mode} sources; refresh started {meta['started_at'].iloc[0]:%Y-%m-%d %H:%M} UTC.")
    pages = [  # one page per theme; the claims first
        st.Page(lambda: claims(q, db), title="The story, claim by claim", url_path="claims", default=True),
        st.Page(lambda: event_reaction(q), title="Market reaction", url_path="reaction"),
        st.Page(lambda: demand_mix(q), title="Demand: training vs inference", url_path="demand"),
        st.Page(lambda: chips(q), title="Chips against the thresholds", url_path="chips"),
        st.Page(lambda: compute_race(q), title="Tier 2: compute and sourcing", url_path="tier2"),
        st.Page(lambda: self_sufficiency(q), title="China's self-sufficiency", url_path="self-sufficiency"),
    ]
    st.navigation(pages).run()


def data_and_sql(key: str, data: pd.DataFrame, sql: str, params: tuple = ()) -> None:
    """Under a chart: the data it plots (with a CSV download) and the SQL that read them, with its parameters."""
    with st.expander("Data and SQL"):
        st.dataframe(data, hide_index=True)
        # text cells a spreadsheet would run as formulas get a leading quote (pipelines/lib/csv_safety.py); CRLF rows,
        # so a cell holding a carriage return is quoted and cannot start a row of its own (pandas' "\n" does not)
        st.download_button(
            "Download the data (CSV)",
            neutralise_frame(data).to_csv(index=False, lineterminator="\r\n"),
            file_name=f"{key}.csv",
            mime="text/csv",
            key=f"csv_{key}",
        )
        st.code(sql, language="sql")
        if params:
            st.caption("Parameters, in order: " + ", ".join(map(repr, params)))


VERDICT_MARKS = {
    "supported": "✅ supported",
    "partly supported": "◑ partly supported",
    "mixed": "◐ mixed",
    "not supported": "❌ not supported",
    "contradicted": "⛔ contradicted",
    "not testable": "… not testable",
    "not evidence (synthetic sample)": "⚠ synthetic sample",
}


def claims(q, db) -> None:
    st.title("US chip export controls: the story, claim by claim")
    st.caption(
        "Each verdict is computed from the marts by the claim's tests (seed claim_tests; marts.fct_claims, "
        "marts.fct_claim_evidence). Supported: every evidence row has data and supports it. Partly "
        "supported: the rows that decide support it, others lack data or only bound it. Mixed: some rows "
        "support it, others do not (for pooled reactions, often: under some models only). Contradicted: "
        "significant evidence the other way. Not testable: no row decides (a spec-based ceiling cannot "
        "confirm a measured figure; context is never counted)."
    )
    rows = q(
        "select claim_id, claim_order, wording, verdict, verdict_reason, claimed_by, source_name, source_url "
        "from marts.fct_claims order by claim_order"
    )
    con = duckdb.connect(str(db), read_only=True)
    try:
        charts = report.charts(con)
    finally:
        con.close()
    for claim in rows.itertuples():
        st.subheader(f"{claim.claim_order}. {claim.wording}")
        st.markdown(
            f"**{VERDICT_MARKS.get(claim.verdict, claim.verdict)}** — {claim.verdict_reason}. "
            f"Claimed by {claim.claimed_by} ([{claim.source_name}]({claim.source_url}))."
        )
        chart = charts.get(claim.claim_id)
        if chart is not None:
            st.plotly_chart(chart.figure, width="stretch", key=f"claim_{claim.claim_id}")
            data_and_sql(claim.claim_id, chart.data, chart.sql)
        evidence = q(
            'select test_id as test, claim_part as "part of the claim", evidence_kind as kind, subject, '
            'value, p_value as "p or q", comparison, threshold, '
            'tolerance, verdict, verdict_reason as why, evidence_keys as "from" '
            "from marts.fct_claim_evidence where claim_id = ? order by test_order, subject",
            claim.claim_id,
        )
        with st.expander(f"The {len(evidence)} evidence rows"):
            st.dataframe(evidence, hide_index=True)


GROUP_COLORS = {"us_chip_equities": "#1f77b4", "cn_a_chip_equities": "#d62728", "hk_chip_equities": "#ff7f0e"}
MODELS = {"market model": "market_model", "market-adjusted": "market_adjusted", "constant mean": "constant_mean"}


def event_reaction(q) -> None:
    st.header("Market reaction to each event")
    events = q("""
        select e.event_id, e.announced_on, e.title, e.category, e.source_name, e.source_url, e.announced_at_basis,
               exists (select 1 from marts.fct_event_returns_v2 r where r.event_id = e.event_id) as has_results
        from marts.dim_events e order by e.announced_on""")
    labels = {f"{r.announced_on:%Y-%m-%d} — {r.title}": r.event_id for r in events.itertuples()}
    with_results = [i for i, has in enumerate(events["has_results"]) if has]
    left, middle, right = st.columns([3, 1, 1])
    label = left.selectbox(
        "Event", list(labels), index=with_results[-1] if with_results else len(labels) - 1, key="event"
    )
    window = middle.selectbox("Window (trading days from t0)", list(WINDOWS), index=1, key="window")
    model = MODELS[right.selectbox("Expected-return model", list(MODELS), index=0, key="model")]
    event = events[events.event_id == labels[label]].iloc[0]
    st.markdown(
        f"**{event.title}** — announced {event.announced_on:%Y-%m-%d} ({event.announced_at_basis}); "
        f"source: [{event.source_name}]({event.source_url})"
    )
    start, end = WINDOWS[window]
    bars_sql = """
        select r.symbol, l.listing_name, l.market_region, l.segment, r.event_date, r.car, r.p_value, r.q_value,
               r.confounded_by
        from marts.fct_event_returns_v2 r join marts.dim_listings l using (symbol)
        where r.event_id = ? and r.model = ? and r.window_start = ? and r.window_end = ?
        order by r.car"""
    data = q(bars_sql, event.event_id, model, start, end)
    if data.empty:
        st.info("No listing has a complete window for this event (prices may end before it).")
        return
    bars, paths = st.columns([1, 1])
    data["car_pct"] = 100 * data["car"]
    data["side"] = data["market_region"].map(lambda r: "US-listed" if r == "US" else "Chinese listings (A-share, HK)")
    fig = px.bar(
        data,
        x="car_pct",
        y="symbol",
        color="market_region",
        facet_col="side",
        orientation="h",
        color_discrete_map=REGION_COLORS,
        hover_data=["listing_name", "segment", "event_date", "p_value", "q_value", "confounded_by"],
        labels={
            "car_pct": f"CAR {window}, %",
            "symbol": "",
            "p_value": "p-value",
            "q_value": "q-value (BH, every event x listing)",
            "confounded_by": "own news in the window",
        },
        title=f"Cumulative abnormal return {window}: {event.title}",
    )
    fig.update_yaxes(matches=None, showticklabels=True)
    fig.update_layout(height=max(380, 22 * len(data)), legend_title_text="")
    bars.plotly_chart(fig, width="stretch", key="reaction")
    with bars:
        data_and_sql("event_reaction", data, bars_sql.strip(), (event.event_id, model, start, end))
    path_fig, path_data = car_paths(q, event, model)
    paths.plotly_chart(path_fig, width="stretch", key="paths")
    with paths:
        data_and_sql("car_paths", path_data, CAR_PATHS_SQL.strip(), (event.event_id, model, *GROUP_COLORS))
    groups = q(
        """
        select g.group_label as "group", r.members, round(100 * r.portfolio_car, 2) as "portfolio CAR, %",
               round(100 * r.ci_low, 2) as "95% CI low, %", round(100 * r.ci_high, 2) as "95% CI high, %",
               r.p_value as "p-value", r.q_value as "q-value (BH, every event x group)",
               r.kp_p_value as "Kolari-Pynnonen p",
               r.mean_pairwise_correlation as "mean correlation",
               r.shares_t0_with as "shares t0 with"
        from marts.fct_event_group_reactions r
        join (select distinct group_id, group_label from marts.dim_listing_groups) g using (group_id)
        where r.event_id = ? and r.model = ? and r.window_start = ? and r.window_end = ?
        order by r.portfolio_car""",
        event.event_id,
        model,
        start,
        end,
    )
    st.caption(
        "Groups tested as equal-weight portfolios: their own model absorbs the members' co-movement. The "
        "q-value adjusts the p-value for the many tests of this model and window (Benjamini-Hochberg)."
    )
    st.dataframe(groups, hide_index=True)
    family_reactions(q, event, model, start, end)


FAMILY_SQL = """
        select g.group_label as "group", f.event_family as "family", f.confounded_events as "confounded events",
               f.events, f.family_events as "of",
               round(100 * f.caar, 2) as "mean CAR, %", f.p_value_from_events as "p (own errors)",
               f.p_value_across_events as "p (across events)", f.q_value as "q-value",
               f.positive_events as "positive", f.sign_test_p_value as "sign test p", f.events_excluded as "left out"
        from marts.fct_event_family_reactions f
        join (select distinct group_id, group_label from marts.dim_listing_groups) g on g.group_id = f.subject
        where f.subject_type = 'group' and f.model = ? and f.window_start = ? and f.window_end = ?
            and f.event_family = (select event_family from marts.dim_events where event_id = ?)
        order by g.group_label, f.confounded_events desc"""


def family_reactions(q, event, model, start, end) -> None:
    """This event's family, pooled: each group's mean CAR over the family's events with both tests and the q-value."""
    pooled = q(FAMILY_SQL, model, start, end, event.event_id)
    family = pooled["family"].iloc[0] if len(pooled) else "its family"
    st.subheader(f"Across the events of {family}")
    st.caption(
        "Each group's mean CAR over the family's events (seed event_families), with the p-value from the events' "
        "own errors and the one from their dispersion across events; events that share a t0 count once. "
        "Each group twice: with every event, and without those whose window holds a member's own news "
        "(results, guidance; seed company_news)."
    )
    st.dataframe(pooled.drop(columns=["family"]), hide_index=True)
    data_and_sql("family_reactions", pooled, FAMILY_SQL.strip(), (model, start, end, event.event_id))


CAR_PATHS_SQL = """
        select p.entity_id as group_id, g.group_label, p.relative_day, p.car, p.ci_low, p.ci_high
        from marts.fct_event_car_paths p
        join (select distinct group_id, group_label from marts.dim_listing_groups) g on g.group_id = p.entity_id
        where p.entity_type = 'group' and p.event_id = ? and p.model = ? and p.entity_id in (?, ?, ?)
        order by p.entity_id, p.relative_day"""


def car_paths(q, event, model) -> tuple[go.Figure, pd.DataFrame]:
    """The CAR of each market's chip portfolio from day -10 to +10, with its 95% band (and the data drawn)."""
    path = q(CAR_PATHS_SQL, event.event_id, model, *GROUP_COLORS)
    fig = go.Figure()
    for group_id, rows in path.groupby("group_id", sort=False):
        color, label = GROUP_COLORS[group_id], rows["group_label"].iloc[0]
        band_x = list(rows["relative_day"]) + list(rows["relative_day"])[::-1]
        band_y = list(100 * rows["ci_high"]) + list(100 * rows["ci_low"])[::-1]
        fig.add_trace(
            go.Scatter(
                x=band_x,
                y=band_y,
                fill="toself",
                fillcolor=color,
                opacity=0.15,
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
                name=f"{label} 95% band",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=rows["relative_day"], y=100 * rows["car"], mode="lines+markers", name=label, line={"color": color}
            )
        )
    fig.add_vline(x=0, line_dash="dot", line_color="grey")
    fig.add_hline(y=0, line_color="grey", line_width=1)
    fig.update_layout(
        title=f"CAR path, day -10 to +10, with 95% bands: {event.title}",
        xaxis_title="trading days from t0",
        yaxis_title="CAR from day -10, %",
        legend_title_text="",
        height=420,
    )
    return fig, path


def demand_mix(q) -> None:
    st.header("AI compute demand: inference share")
    sql = (
        "select year, estimate_id, source_name, scope, inference_share, is_forecast, consensus_inference_share "
        "from marts.fct_demand_mix where inference_share is not null order by year"
    )
    mix = q(sql)
    mix["estimate"] = mix["is_forecast"].map({True: "forecast", False: "actual"})
    mix["what is measured"] = mix["scope"].map(SCOPES).fillna(mix["scope"])
    fig = px.scatter(
        mix,
        x="year",
        y="inference_share",
        color="what is measured",
        symbol="estimate",
        color_discrete_sequence=OKABE_ITO,
        hover_data=["source_name", "estimate_id"],
        labels={"inference_share": "inference share of AI compute", "source_name": "source"},
        title="Published estimates of the inference share (consensus: mean of compute-scope estimates)",
    )
    consensus = mix.dropna(subset=["consensus_inference_share"]).drop_duplicates("year")
    fig.add_trace(
        go.Scatter(
            x=consensus["year"],
            y=consensus["consensus_inference_share"],
            mode="lines+markers",
            name="consensus (compute)",
            line={"color": "black", "dash": "dot"},
        )
    )
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    st.plotly_chart(fig, width="stretch", key="demand")
    data_and_sql("demand_mix", mix, sql)


OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
SCOPES = {
    "compute": "share of AI compute",
    "installed_units": "share of installed accelerators",
    "capex": "share of capex",
    "revenue": "share of revenue",
}
TIER_COLORS = {"Tier 1": "#0072B2", "Tier 2": "#E69F00", "Tier 3": "#D55E00", "No country stated": "#7f7f7f"}


def compute_race(q) -> None:
    st.header("AI compute by diffusion tier, and Tier-2 countries against the January 2025 caps")
    st.caption(
        "Known GPU clusters from Epoch AI (an estimated 10-20% of the world's AI compute): existing H100 "
        "equivalents at each year's end, duplicates and superseded phases not counted (dim_ai_clusters)."
    )
    tiers_sql = (
        "select year, geography_name as tier, existing_h100e, planned_h100e_confirmed_or_likely "
        "from marts.fct_ai_compute_by_country where geography_level = 'tier' "
        "and year <= extract(year from current_date) order by year"
    )
    tiers = q(tiers_sql)
    fig = px.area(
        tiers,
        x="year",
        y="existing_h100e",
        color="tier",
        color_discrete_map=TIER_COLORS,
        labels={"existing_h100e": "existing H100 equivalents", "tier": ""},
        title="Existing AI compute by AI Diffusion Framework tier",
    )
    st.plotly_chart(fig, width="stretch", key="compute_tiers")
    data_and_sql("compute_by_tier", tiers, tiers_sql)
    caps_sql = (
        "select country_name, existing_h100e, planned_h100e_confirmed_or_likely_by_2027, allocation_h100e, "
        "allocation_g2g_h100e, rule_status_now from marts.fct_tier2_compute_vs_caps "
        "order by existing_h100e + planned_h100e_confirmed_or_likely_by_2027 desc limit 12"
    )
    caps = q(caps_sql)
    fig = go.Figure()
    fig.add_trace(go.Bar(x=caps["country_name"], y=caps["existing_h100e"], name="existing", marker_color="#0072B2"))
    fig.add_trace(
        go.Bar(
            x=caps["country_name"],
            y=caps["planned_h100e_confirmed_or_likely_by_2027"],
            name="planned by 2027 (confirmed or likely)",
            marker_color="#E69F00",
        )
    )
    if len(caps):
        fig.add_hline(
            y=caps["allocation_h100e"].iloc[0],
            line_dash="dash",
            line_color="#D55E00",
            annotation_text=f"country allocation 2025-27: {caps['allocation_h100e'].iloc[0]:,.0f} H100e",
        )
        fig.add_hline(
            y=caps["allocation_g2g_h100e"].iloc[0],
            line_dash="dot",
            line_color="#D55E00",
            annotation_text="with a government-to-government arrangement",
        )
    status = caps["rule_status_now"].iloc[0] if len(caps) else "unknown"
    fig.update_layout(
        barmode="stack",
        yaxis_title="H100 equivalents",
        legend_title_text="",
        title=f"Tier-2 countries' known compute against the caps (the rule is {status} now)",
    )
    st.plotly_chart(fig, width="stretch", key="compute_caps")
    data_and_sql("tier2_caps", caps, caps_sql)
    tier2_sourcing(q)


SOURCING_SHARES = {  # column -> (label, colour, dash): shares of the country's total imports
    "china_share": ("China", "#D55E00", "solid"),
    "china_incl_hk_share": ("China + Hong Kong", "#D55E00", "dot"),
    "usa_share": ("USA", "#0072B2", "solid"),
    "taiwan_share": ("Taiwan", "#009E73", "solid"),
}
SOURCING_SPLIT = {  # column -> (label, colour, dash): China / (China + USA), two views
    "china_share_of_china_and_usa": ("as the country reports its imports", "#000000", "solid"),
    "mirror_china_share_of_china_and_usa": ("as China and the USA report their exports", "#7f7f7f", "dash"),
}


def tier2_sourcing(q) -> None:
    countries = q(
        "select country_name, sum(imports_total_usd) as imports from marts.fct_tier2_sourcing "
        "where frequency = 'annual' group by country_name "
        "having count(imports_total_usd) + count(china_exports_to_country_usd) > 0 "
        "order by imports desc nulls last, country_name"
    )
    if not len(countries):
        st.info(
            "No Tier-2 trade flows in this warehouse yet (fct_tier2_sourcing is empty): the Comtrade queries for "
            "Tier-2 countries' imports have not landed any rows."
        )
        return
    left, right = st.columns([1, 4])
    country = left.selectbox("Tier-2 country", countries["country_name"].tolist(), key="sourcing_country")
    codes = {"integrated circuits (8542)": "8542", "computers (8471)": "8471", "computer parts (8473)": "8473"}
    code = codes[left.radio("Goods", list(codes), key="sourcing_code")]
    sql = (
        "select year, country_reported, "
        + ", ".join([*SOURCING_SHARES, *SOURCING_SPLIT])
        + " from marts.fct_tier2_sourcing where frequency = 'annual' and country_name = ? and hs_code = ? "
        "order by year"
    )
    rows = q(sql, country, code)
    fig = make_subplots(
        rows=1,
        cols=2,
        horizontal_spacing=0.12,
        subplot_titles=("Share of all its imports", "China's share of China + USA"),
    )
    for col, lines in ((1, SOURCING_SHARES), (2, SOURCING_SPLIT)):
        for column, (label, colour, dash) in lines.items():
            fig.add_trace(
                go.Scatter(
                    x=rows["year"],
                    y=rows[column],
                    name=label,
                    mode="lines+markers",
                    line={"color": colour, "dash": dash},
                ),
                row=1,
                col=col,
            )
    unreported = rows.loc[~rows["country_reported"], "year"].tolist()
    note = f" (no imports reported for {', '.join(map(str, unreported))}: mirror only)" if unreported else ""
    fig.update_layout(title=f"Where {country} buys: China vs US share of its imports{note}", legend_title_text="")
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    right.plotly_chart(fig, width="stretch", key="tier2_sourcing")
    with right:
        data_and_sql("tier2_sourcing", rows, sql, (country, code))
    left.caption(
        f"UN Comtrade, annual. {int(rows['country_reported'].sum())} of {len(rows)} years reported by "
        f"{country}. Exports are valued FOB and imports CIF, so the two views differ a little even when "
        "both are right."
    )


METRICS = {
    "ic_production_in_china_share": "produced in China, foreign fabs included",
    "china_hq_ic_production_share": "produced by China-headquartered firms",
}


def self_sufficiency(q) -> None:
    st.header("China's semiconductor self-sufficiency against its targets")
    figures_sql = (
        "select year, metric, value, is_forecast, source_name from marts.fct_self_sufficiency "
        "where metric in ('ic_production_in_china_share', 'china_hq_ic_production_share') order by year"
    )
    targets_sql = (
        "select target_name, target_value, target_year, status, gap_points, growth_per_year_needed "
        "from marts.fct_self_sufficiency_targets order by target_year"
    )
    figures, targets = q(figures_sql), q(targets_sql)
    figures["kind"] = figures["metric"].map(METRICS).fillna(figures["metric"]) + figures["is_forecast"].map(
        {True: " (forecast)", False: ""}
    )
    fig = px.line(
        figures,
        x="year",
        y="value",
        color="kind",
        markers=True,
        hover_data=["source_name"],
        color_discrete_sequence=OKABE_ITO,
        labels={"value": "share of China's IC market", "kind": "", "source_name": "source"},
        title="Share of China's IC market produced in China (IC Insights) vs policy targets",
    )
    fig.add_trace(
        go.Scatter(
            x=targets["target_year"],
            y=targets["target_value"],
            mode="markers",
            text=targets["target_name"],
            hovertemplate="%{text}: %{y:.0%} by %{x}<extra></extra>",
            name="targets (hover for which; listed below)",
            marker={"symbol": "star", "size": 16, "color": "#D55E00"},
        )
    )
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    st.plotly_chart(fig, width="stretch", key="sufficiency")
    data_and_sql("self_sufficiency", figures, f"{figures_sql};\n{targets_sql}")
    shown = targets.assign(
        target_value=100 * targets["target_value"], growth_per_year_needed=100 * targets["growth_per_year_needed"]
    )
    st.dataframe(
        shown,
        hide_index=True,
        column_config={
            "target_name": "target",
            "target_value": st.column_config.NumberColumn("target, %", format="%.0f%%"),
            "target_year": st.column_config.NumberColumn("by", format="%d"),
            "status": "status",
            "gap_points": st.column_config.NumberColumn("gap, points", format="%.1f"),
            "growth_per_year_needed": st.column_config.NumberColumn("growth needed per year", format="%.1f%%"),
        },
    )


def chips(q) -> None:
    st.header("Accelerators against the export-control thresholds")
    chips_sql = (
        "select chip_id, chip_name, vendor, hq_country_iso3, tpp, performance_density, rule_statuses "
        "from marts.dim_accelerators where tpp is not null and performance_density is not null"
    )
    chips_ = q(chips_sql)
    rules = q("select rule_version, prong, tpp_min, tpp_below, pd_min, pd_below from marts.dim_export_control_rules")
    fig = px.scatter(
        chips_,
        x="tpp",
        y="performance_density",
        color="hq_country_iso3",
        hover_name="chip_name",
        hover_data=["vendor", "rule_statuses"],
        log_x=True,
        color_discrete_sequence=OKABE_ITO,
        labels={
            "tpp": "total processing performance (TPP)",
            "performance_density": "performance density",
            "hq_country_iso3": "vendor's country",
            "rule_statuses": "status under each rule",
        },
        title="TPP vs performance density, with each rule's thresholds",
    )
    for value in sorted({v for v in pd.concat([rules.tpp_min, rules.tpp_below]).dropna()}):
        versions = ", ".join(sorted(set(rules[(rules.tpp_min == value) | (rules.tpp_below == value)].rule_version)))
        fig.add_vline(
            x=value,
            line_dash="dash",
            line_color="grey",
            annotation_text=f"TPP {value:g} ({versions})",
            annotation_textangle=-90,
        )
    for value in sorted({v for v in pd.concat([rules.pd_min, rules.pd_below]).dropna()}):
        fig.add_hline(y=value, line_dash="dot", line_color="grey", annotation_text=f"PD {value:g}")
    st.plotly_chart(fig, width="stretch", key="chips")
    data_and_sql("accelerators", chips_, chips_sql)
    status_by_date(q)


STATUS_COLORS = {
    "not_controlled": "#009E73",
    "license_required": "#E69F00",
    "controlled": "#D55E00",
    "unknown": "#BBBBBB",
    "not_applicable": "#56B4E9",
}  # not_applicable: a Chinese vendor's own chip
STATUS_SQL = """
        select a.chip_name, s.period_start, coalesce(s.period_end, current_date) as period_end, s.status,
               s.rule_versions_in_force
        from marts.fct_accelerator_status_by_period s join marts.dim_accelerators a using (chip_id)
        where s.destination = 'china' and s.chip_id in (?, ?, ?, ?, ?, ?, ?, ?, ?)
        order by a.chip_name, s.period_start"""
CHINA_MARKET_CHIPS = (
    "nvidia_a100_sxm4_80gb",
    "nvidia_h100_sxm5",
    "nvidia_h800_sxm5",
    "nvidia_a800_sxm",
    "nvidia_h20",
    "nvidia_l20_pcle",
    "nvidia_rtx_4090d",
    "huawei_ascend_910b",
    "huawei_ascend_910c",
)


def status_by_date(q) -> None:
    """Each China-market chip's status for China under the rule versions in force, period by period."""
    rows = q(STATUS_SQL, *CHINA_MARKET_CHIPS)
    if rows.empty:
        st.info("No curated statuses for the China-market chips in this warehouse.")
        return
    rows["status"] = rows["status"].str.replace("_", " ")
    fig = px.timeline(
        rows,
        x_start="period_start",
        x_end="period_end",
        y="chip_name",
        color="status",
        color_discrete_map={k.replace("_", " "): v for k, v in STATUS_COLORS.items()},
        hover_data=["rule_versions_in_force"],
        labels={"chip_name": "", "rule_versions_in_force": "rule versions in force"},
        title="Status for China by date, under the rule versions in force",
    )
    fig.update_layout(legend_title_text="")
    st.plotly_chart(fig, width="stretch", key="chip_status")
    data_and_sql("chip_status_by_date", rows, STATUS_SQL.strip(), CHINA_MARKET_CHIPS)


main()
