"""Company news that confounds event windows (seed company_news): which event windows it falls in, recomputed here from
the seed and each listing's own trading days, and the family mart's pooled tests without the confounded events,
recomputed from fct_event_returns_v2."""

import csv
from collections import defaultdict
from datetime import date

import pytest

from .conftest import ROOT, q

SEED = ROOT / "dbt_project" / "seeds" / "curated" / "company_news.csv"
CLOSE = {"America/New_York": "16:00", "Asia/Shanghai": "15:00"}


def news_items() -> list[dict]:
    with open(SEED, newline="") as fh:
        return list(csv.DictReader(fh))


def reaction_sessions(item: dict, sessions: list[date]) -> list[date]:
    """The sessions that may be the news item's first reaction: the first on or after its date when it came before
    that day's close, the first after its date when after the close, and both when the time is not known."""
    day = date.fromisoformat(item["news_date"])
    same = next((s for s in sessions if s >= day), None)
    after = next((s for s in sessions if s > day), None)
    timing = item["release_timing"]
    if timing == "after_close":
        first = [after]
    elif timing == "before_open" or (timing and timing < CLOSE[item["news_tz"]]):
        first = [same]
    elif timing:  # a time after the close
        first = [after]
    else:
        first = [same, after]
    return [s for s in first if s is not None]


def test_the_seed_names_a_listed_symbol_a_known_type_and_a_source_for_every_item():
    listed = {
        row["symbol"]: row
        for row in csv.DictReader(open(ROOT / "dbt_project" / "seeds" / "curated" / "curated_listings.csv", newline=""))
    }
    items = news_items()
    assert len(items) >= 60
    for item in items:
        assert item["symbol"] in listed, item
        expected_tz = "America/New_York" if listed[item["symbol"]]["market_region"] == "US" else "Asia/Shanghai"
        assert item["news_tz"] == expected_tz, item
        assert item["source_url"].startswith(("http://", "https://")), item
        # confounded_by separates items with " | ", and the family mart's events_excluded its reasons with "; "
        assert "|" not in item["headline"] and ";" not in item["headline"], item


def test_every_window_holding_a_news_item_s_first_reaction_names_it_and_no_other_does(sample_warehouse):
    home = sample_warehouse[0]
    days = defaultdict(list)
    for symbol, trade_date in q(home, "select symbol, trade_date from marts.fct_daily_returns order by 1, 2"):
        days[symbol].append(trade_date)
    expected = defaultdict(set)
    rows = q(
        home,
        "select event_id, symbol, window_start, window_end, event_date, confounded_by "
        "from marts.fct_event_returns_v2 where model = 'market_model'",
    )
    by_symbol = defaultdict(list)
    for item in news_items():
        by_symbol[item["symbol"]].append(item)
    named = 0
    for event_id, symbol, start, end, t0, confounded_by in rows:
        sessions = days[symbol]
        i0 = sessions.index(t0)
        window = set(sessions[max(i0 + start, 0) : i0 + end + 1])
        for item in by_symbol[symbol]:
            if window & set(reaction_sessions(item, sessions)):
                expected[(event_id, symbol, start, end)].add(
                    f"{item['news_date']} {item['news_type']}: {item['headline']}"
                )
        found = set(confounded_by.split(" | ")) if confounded_by else set()
        assert found == expected[(event_id, symbol, start, end)], (event_id, symbol, start, end)
        named += bool(found)
    assert named > 100


def test_amd_on_the_october_2022_rule_is_confounded_by_its_own_revenue_warning(sample_warehouse):
    """AMD's preliminary Q3 2022 results came out after the close on 2022-10-06 (revenue about $5.6 B against a
    $6.7 B outlook): its first reaction is 2022-10-07, the rule's t0, so the rule's day-0 CAR mixes both."""
    (row,) = q(
        sample_warehouse[0],
        "select confounded_by from marts.fct_event_returns_v2 where model = 'market_model' "
        "and event_id = '20221007_bis_advanced_computing_ifr' and symbol = 'AMD' "
        "and window_start = 0 and window_end = 0",
    )
    assert row[0].startswith("2022-10-06 preliminary_results: Preliminary Q3 2022 revenue")


def test_pooled_tests_without_confounded_events_leave_exactly_those_out(sample_warehouse):
    """For every listing row, the 'excluded' variant counts the 'included' variant's events less those whose window
    holds the listing's own news, and its mean CAR is theirs (from fct_event_returns_v2)."""
    home = sample_warehouse[0]
    v2 = {
        (e, s, m, a, b): (car, news)
        for e, s, m, a, b, car, news in q(
            home,
            "select event_id, symbol, model, window_start, window_end, car, confounded_by "
            "from marts.fct_event_returns_v2",
        )
    }
    rows = defaultdict(dict)
    for family, rule, subject, model, start, end, included, events, caar, excluded in q(
        home,
        "select event_family, confounded_events, subject, model, window_start, window_end, "
        "events_included, events, caar, events_excluded from marts.fct_event_family_reactions "
        "where subject_type = 'listing' and model <> 'carhart_four_factor'",
    ):
        rows[(family, subject, model, start, end)][rule] = (included, events, caar, excluded)
    checked = 0
    for (_family, subject, model, start, end), variants in rows.items():
        assert set(variants) == {"included", "excluded"}
        counted_all = variants["included"][0].split(", ") if variants["included"][0] else []
        counted = variants["excluded"][0].split(", ") if variants["excluded"][0] else []
        confounded = [e for e in counted_all if v2[(e, subject, model, start, end)][1]]
        # leaving an event out can let a second event on its t0 count instead: every counted event is unconfounded
        assert all(not v2[(e, subject, model, start, end)][1] for e in counted)
        assert set(counted_all) - set(confounded) <= set(counted)
        for event_id in confounded:
            assert f"{event_id}: confounded by own news: " in variants["excluded"][3]
        if counted:
            cars = [v2[(e, subject, model, start, end)][0] for e in counted]
            assert variants["excluded"][2] == pytest.approx(sum(cars) / len(cars), abs=1e-11)
            checked += bool(confounded)
    assert checked > 50


def test_a_group_event_is_confounded_when_a_portfolio_member_s_window_holds_its_own_news(sample_warehouse):
    """The family mart's 'excluded' rows for group portfolios leave out exactly the counted events on which some
    member of the portfolio (a listing of the group with a fitted market model) has news in the window."""
    home = sample_warehouse[0]
    news = defaultdict(set)  # (event, window) -> members' symbols with news, from fct_event_returns_v2
    for event_id, symbol, start, end in q(
        home,
        "select event_id, symbol, window_start, window_end "
        "from marts.fct_event_returns_v2 where model = 'market_model' "
        "and confounded_by is not null",
    ):
        news[(event_id, start, end)].add(symbol)
    members = defaultdict(set)
    for group_id, symbol in q(home, "select group_id, symbol from marts.dim_listing_groups"):
        members[group_id].add(symbol)
    checked = 0
    for group_id, _family, start, end, included, excluded in q(
        home,
        "select subject, event_family, window_start, window_end, events_included, events_excluded "
        "from marts.fct_event_family_reactions where subject_type = 'group' and model = 'market_model' "
        "and confounded_events = 'excluded'",
    ):
        for event_id in included.split(", ") if included else []:
            assert not news[(event_id, start, end)] & members[group_id], (group_id, event_id, start, end)
        for part in excluded.split("; ") if excluded else []:
            event_id, reason = part.split(": ", 1)
            if reason.startswith("confounded by own news: "):
                confounded = news[(event_id, start, end)] & members[group_id]
                assert confounded, (group_id, event_id)
                assert all(f"{symbol} " in reason for symbol in confounded)
                checked += 1
    assert checked > 20
