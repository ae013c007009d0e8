"""The benchmark suite at a tiny scale, so it keeps working: it runs end to end, the four implementations agree to
1e-9, and it writes its JSON and Markdown. (Figures are printed by `make bench`, never asserted: no timed test.)"""

import json

from bench.suite import main


def test_bench_suite_runs_and_the_four_event_studies_agree(tmp_path, home):
    assert main(["--scales", "tiny", "--repeat", "1", "--out", str(tmp_path)]) == 0
    (report,) = tmp_path.glob("bench-*.json")
    (row,) = json.loads(report.read_text())["rows"]
    assert row["agree"] and row["fits"] == 36  # 12 listings x 3 events, every one fitted
    assert row["agree_duckdb_unmatched"] == row["agree_pandas_unmatched"] == row["agree_best_unmatched"] == 0
    assert row["agree_duckdb_rows"] == row["agree_pandas_rows"] == row["agree_best_rows"] == 36 * 5
    assert row["best_reference_s"] > 0 and (tmp_path / "latest.json").exists()
    # the pooled mart is filled at scale: three families x confounded events counted or left out x (five segment
    # groups x 3 models + 12 listings, all US, x 4 models: the four-factor model too) x 5 windows
    assert row["family_rows"] == 3 * 2 * (5 * 3 + 12 * 4) * 5 and row["family_group_rows"] > 0
    assert list(tmp_path.glob("bench-*.md"))
