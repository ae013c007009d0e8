"""Epoch AI's hardware CSV: the live client against the replay server (the real file), the parser on its real
shape (the bundled sample's in a lone clone), and bad input: a renamed column, non-numeric cells, an HTML page, a failed
fetch keeping the last snapshot."""

import csv
import io

import pyarrow.parquet as pq
import pytest

from pipelines.lib import epoch, epoch_landing
from pipelines.lib.config import load_settings
from pipelines.lib.errors import ChipwatchError, ParseError
from pipelines.lib.http import make_session

from .conftest import REPLAY_HARDWARE, SERVED_HARDWARE, served_hardware_count


def client(replay, retries=1):
    return epoch.EpochClient(replay.url, make_session(retries=retries, backoff=0.01), timeout=5)


def rows_by_name(parsed):
    return {r["hardware_name"]: r for r in parsed.rows}


@pytest.mark.real_data
def test_the_live_client_fetches_the_published_path_and_parses_every_accelerator(replay):
    payload = client(replay).fetch_hardware()
    assert [r["path"] for r in replay.log()] == ["/data/ml_hardware.csv"]
    parsed = epoch.parse_hardware(payload.body, payload.status)
    with open(REPLAY_HARDWARE, newline="", encoding="utf-8-sig") as fh:
        recorded = list(csv.DictReader(fh))
    assert len(parsed.rows) == len(recorded)
    h100 = rows_by_name(parsed)["NVIDIA H100 SXM5 80GB"]
    # NVIDIA's datasheet figures as Epoch records them: 989.4 dense BF16 TFLOPS, 3.35 TB/s, 814 mm², TPP 15,832
    assert h100["tensor_fp16_bf16_flops"] == 989.4e12
    assert h100["memory_bandwidth_bytes_per_s"] == 3.35e12
    assert h100["die_size_mm2"] == 814
    assert h100["tpp_bit_ops"] == 15832e12
    assert h100["chip_id"] == "nvidia_h100_sxm5_80gb"
    assert parsed.bad_cell_count == 0


def edited(replace_header=None, cell=None):
    text = SERVED_HARDWARE.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    if replace_header:
        old, new = replace_header
        rows[0] = [new if c == old else c for c in rows[0]]
    if cell:
        name, column, value = cell
        col = rows[0].index(column)
        for row in rows[1:]:
            if row[0] == name:
                row[col] = value
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_a_renamed_column_fails_naming_the_column():
    body = edited(replace_header=("Memory bandwidth (byte/s)", "Memory bandwidth (B/s)"))
    with pytest.raises(ParseError, match=r"missing column 'Memory bandwidth \(byte/s\)'"):
        epoch.parse_hardware(body)


def test_a_non_numeric_cell_becomes_null_and_is_counted():
    body = edited(cell=("NVIDIA H100 SXM5 80GB", "TDP (W)", "about 700"))
    parsed = epoch.parse_hardware(body)
    assert rows_by_name(parsed)["NVIDIA H100 SXM5 80GB"]["tdp_w"] is None
    assert parsed.bad_cells == {"TDP (W)": 1}


@pytest.mark.parametrize(
    "column, cell, expected",
    [
        ("Die Size (mm^2)", "1,228", 1228.0),  # a thousands separator
        ("Die Size (mm^2)", "1,5", None),  # a decimal comma: unreadable, not 15
        ("Die Size (mm^2)", "0", None),  # no chip has no die: a placeholder, and PD over it would be infinite
        ("TDP (W)", "0", None),
    ],
)
def test_a_decimal_comma_or_a_zero_die_or_tdp_becomes_null_and_is_counted(column, cell, expected):
    body = edited(cell=("NVIDIA H100 SXM5 80GB", column, cell))
    parsed = epoch.parse_hardware(body)
    out = {"Die Size (mm^2)": "die_size_mm2", "TDP (W)": "tdp_w"}[column]
    assert rows_by_name(parsed)["NVIDIA H100 SXM5 80GB"][out] == expected
    assert parsed.bad_cells == ({} if expected is not None else {column: 1})


@pytest.mark.parametrize(
    "kind, problem",
    [
        ("html", "not CSV"),
        ("empty", "empty body"),
        ("truncated", "truncated or malformed CSV"),
    ],
)
def test_broken_bodies_are_clear_errors(replay, kind, problem):
    replay.control(garble=[f"ml_hardware:{kind}"])
    payload = client(replay).fetch_hardware()
    with pytest.raises(ParseError, match=problem) as err:
        epoch.parse_hardware(payload.body, payload.status)
    assert str(err.value).startswith("epoch ml_hardware.csv")


@pytest.mark.parametrize(
    "cell, problem",
    [
        ("x" * 1_000_000, r"line 3 is not readable CSV \(field larger than field limit"),  # the csv module's 128 KiB
    ],
)
def test_a_cell_the_csv_module_cannot_read_is_an_error_naming_the_item_and_line(cell, problem):
    """A hostile file: a 1 MB cell raised the csv module's bare `_csv.Error`, naming neither the source nor the line."""
    body = epoch.SampleEpochClient().fetch_hardware().body.decode("utf-8-sig")
    header, first, *rest = body.splitlines()
    cells = first.split(",")
    cells[0] = cell
    hostile = "\n".join([header, first, ",".join(cells), *rest]).encode()
    with pytest.raises(ParseError, match=problem) as err:
        epoch.parse_hardware(hostile, 200)
    assert str(err.value).startswith("epoch ml_hardware.csv")


def test_a_failed_fetch_keeps_the_last_good_snapshot_and_the_raw_answer(home, replay, monkeypatch):
    monkeypatch.setenv("CHIPWATCH_EPOCH_URL", replay.url)
    settings = load_settings("live")
    epoch_landing.land_hardware(settings, client(replay))
    snapshot = epoch_landing.hardware_path(settings).read_bytes()
    replay.control(garble=["ml_hardware:html"])
    with pytest.raises(ChipwatchError):
        epoch_landing.land_hardware(settings, client(replay))
    assert epoch_landing.hardware_path(settings).read_bytes() == snapshot
    assert pq.read_table(epoch_landing.hardware_path(settings)).num_rows == served_hardware_count()  # 170 recorded
    kept = sorted((settings.raw_dir / "epoch" / "ml_hardware.csv").glob("*.body"))
    assert len(kept) == 2 and kept[-1].read_bytes().startswith(b"<!DOCTYPE html>")


def test_the_bundled_sample_has_epochs_shape():
    parsed = epoch.parse_hardware(epoch.SampleEpochClient().fetch_hardware().body)
    assert parsed.bad_cell_count == 0
    assert "NVIDIA HGX H20" in rows_by_name(parsed)
