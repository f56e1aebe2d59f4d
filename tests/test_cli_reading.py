"""The command reads real-world CSV files and says what it read.

Each test writes a small file. Most call ``read_series`` directly; the ones
that check what the user sees call ``main`` (errors stop before any fit).
"""

import numpy as np
import pandas as pd
import pytest

from rnnforecast.cli import build_parser, main
from rnnforecast.cli.panel import read_panel
from rnnforecast.cli.reading import CLIError, read_series


def write(tmp_path, text, name="data.csv", newline="\n", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def read(path, *options):
    args = build_parser().parse_args(["forecast", str(path), "--horizon", "1", *options])
    return read_series(args)


def error_of(path, *options):
    with pytest.raises(CLIError) as caught:
        read(path, *options)
    return str(caught.value)


def hourly_csv(hours, skip=()):
    """``time,value`` rows on the hour, value = hour of day, ``skip`` left out."""
    index = pd.date_range("2024-01-01", periods=hours, freq="h")
    rows = [f"{t},{t.hour}" for i, t in enumerate(index) if i not in skip]
    return "time,value\n" + "\n".join(rows) + "\n"


# --------------------------------------------------------------------------- #
# Values
# --------------------------------------------------------------------------- #
def test_semicolons_and_decimal_commas_read_with_sep_and_decimal(tmp_path):
    path = write(tmp_path, "Datum;Wert\n2024-01-01;1048,73\n2024-01-02;-3,5\n"
                           "2024-01-03;1.049,10\n")
    y, _ = read(path, "--sep", ";", "--decimal", ",", "--thousands", ".")
    np.testing.assert_allclose(y, [1048.73, -3.5, 1049.10])
    assert y.name == "Wert" and y.index.freqstr == "D"


def test_thousands_separators_read_with_thousands(tmp_path):
    path = write(tmp_path, 'date,sales\n2024-01-01,"1,193,201.38"\n2024-01-02,950.5\n'
                           '2024-01-03,"12,000"\n')
    y, _ = read(path, "--thousands", ",")
    np.testing.assert_allclose(y, [1193201.38, 950.5, 12000])


def test_missing_markers_stay_missing_values(tmp_path):
    path = write(tmp_path, "date,v\n2024-01-01,1\n2024-01-02,\n2024-01-03,NA\n"
                           "2024-01-04,NaN\n2024-01-05,null\n2024-01-06, 6 \n")
    y, _ = read(path)
    assert y.isna().tolist() == [False, True, True, True, True, False]
    assert y.iloc[-1] == 6


@pytest.mark.parametrize("cells, options, shown, fix", [
    (['"1,193,201.38"', '"2,000.5"'], [], "line 3 '1,193,201.38', line 4 '2,000.5'",
     "--thousands ,"),
    (["1048,73", "99,5"], ["--sep", ";"], "line 3 '1048,73', line 4 '99,5'", "--decimal ,"),
    (["1.048,73", "99"], ["--sep", ";"], "line 3 '1.048,73'", "--decimal , --thousands ."),
    (["n.a.", "-"], [], "line 3 'n.a.', line 4 '-'", "write NA"),
])
def test_cells_that_are_not_numbers_name_column_lines_text_and_option(
        tmp_path, capsys, cells, options, shown, fix):
    sep = ";" if options else ","
    rows = "".join(f"2024-01-0{day}{sep}{cell}\n" for day, cell in zip((2, 3), cells))
    path = write(tmp_path, f"date{sep}price\n2024-01-01{sep}10\n{rows}")
    assert main(["forecast", str(path), "--horizon", "1", "--no-backtest", *options]) == 1
    err = capsys.readouterr().err
    assert err.startswith("rnnforecast: error: ")
    assert "column 'price'" in err and shown in err and fix in err
    assert "header as line 1" in err


def test_cells_that_read_two_ways_stop_and_name_both_readings(tmp_path, capsys):
    # '10,069' is 10069 with a thousands comma and 10.069 with a decimal comma:
    # the error names both rather than guessing one.
    path = write(tmp_path, 'date,sales\n2024-01-01,"10,069"\n2024-01-02,"9,946"\n')
    assert main(["forecast", str(path), "--horizon", "1", "--no-backtest"]) == 1
    err = capsys.readouterr().err
    assert ("If these are numbers, say which marks they use: '10,069' reads 10.069 with "
            "--decimal , or 10069 with --thousands ,\n" in err)
    y, _ = read(path, "--thousands", ",")
    assert list(y) == [10069, 9946]
    y, _ = read(path, "--decimal", ",")
    np.testing.assert_allclose(y, [10.069, 9.946])
    # One cell that only one option reads settles it.
    path = write(tmp_path, 'date,sales\n2024-01-01,"10,069"\n2024-01-02,"9,9"\n', "one.csv")
    assert main(["forecast", str(path), "--horizon", "1", "--no-backtest"]) == 1
    assert "read them with: --decimal ,\n" in capsys.readouterr().err


@pytest.mark.parametrize("cells, then", [
    (["$50.19", "$53.40"], "without it).\n"),
    (['"$1,200.50"', '"-$1,300.00"'], "without it), then read them with: --thousands ,\n"),
    (["12.5 %", "13%"], "without it).\n"),
])
def test_cells_with_a_currency_or_percent_sign_name_it(tmp_path, capsys, cells, then):
    rows = "".join(f"2024-01-0{day},{cell}\n" for day, cell in zip((2, 3), cells))
    path = write(tmp_path, f"date,price\n2024-01-01,{cells[0]}\n{rows}")
    assert main(["forecast", str(path), "--horizon", "1", "--no-backtest"]) == 1
    err = capsys.readouterr().err
    sign = "%" if "%" in cells[0] else "$"
    assert f"Every one of these cells carries {sign!r}, which is not part of a number" in err
    assert err.endswith(then)


def test_a_row_longer_than_the_header_is_an_error_suggesting_sep(tmp_path):
    path = write(tmp_path, "date,value\n2024-01-01,1048,73\n2024-01-02,12,5\n")
    assert "--sep ';'" in error_of(path)
    one_column = write(tmp_path, "date;value\n2024-01-01;1\n2024-01-02;2\n", "semi.csv")
    assert "pass --sep ';'" in error_of(one_column)


def test_a_header_without_rows_is_an_error(tmp_path):
    assert "has a header but no data rows" in error_of(write(tmp_path, "date,v\n\n"))


# --------------------------------------------------------------------------- #
# Dates
# --------------------------------------------------------------------------- #
def test_a_total_row_below_the_data_is_named_as_one(tmp_path):
    rows = "".join(f"2024-01-{day:02d},{day}\n" for day in range(1, 11))
    message = error_of(write(tmp_path, f"date,v\n{rows}Total,55\n"))
    assert "got line 12 'Total'" in message
    assert "below rows whose dates all read: if that is a total or a note under the data, " \
           "delete it from the file" in message
    # Elsewhere in the file a row that is no date is not taken for a footer.
    message = error_of(write(tmp_path, f"date,v\nTotal,55\n{rows}", "top.csv"))
    assert "got line 2 'Total'" in message and "--date-format" in message


def test_the_date_column_need_not_be_first(tmp_path):
    path = write(tmp_path, "store,when,sales\nA,2024-01-01,3\nA,2024-01-02,4\n"
                           "A,2024-01-03,5\n")
    y, _ = read(path, "--date-column", "when", "--target", "sales")
    assert y.index.name == "when" and list(y) == [3, 4, 5]
    assert "'where' is not a column" in error_of(path, "--date-column", "where")


def test_ambiguous_day_month_dates_stop_and_name_both_readings(tmp_path, capsys):
    path = write(tmp_path, "date,v\n01/01/2024,1\n02/01/2024,2\n03/01/2024,3\n")
    assert main(["forecast", str(path), "--horizon", "1", "--no-backtest"]) == 1
    err = capsys.readouterr().err
    assert "day-first and month-first" in err
    assert "--dayfirst" in err and "--date-format '%m/%d/%Y'" in err
    y, notes = read(path, "--dayfirst")
    assert list(y.index) == list(pd.date_range("2024-01-01", periods=3, freq="D"))
    assert notes == []
    y, _ = read(path, "--date-format", "%m/%d/%Y")
    assert list(y.index) == list(pd.date_range("2024-01-01", periods=3, freq="MS"))


def test_dates_that_read_only_day_first_are_read_day_first_with_a_note(tmp_path):
    path = write(tmp_path, "date,v\n11.01.2024,1\n12.01.2024,2\n13.01.2024,3\n")
    y, notes = read(path)
    assert list(y.index) == list(pd.date_range("2024-01-11", periods=3, freq="D"))
    assert notes == ["dates read day-first (%d.%m.%Y): '13.01.2024' on line 4 reads no "
                     "other way"]


def test_dates_that_read_neither_way_name_their_lines(tmp_path):
    path = write(tmp_path, "date,v\n2024-01-01,1\n2024-01-02,2\nsoon,3\n")
    message = error_of(path)
    assert "the first column must hold timestamps" in message
    assert "line 4 'soon'" in message and "--date-format" in message


@pytest.mark.parametrize("scale, unit", [(1, "seconds"), (1000, "milliseconds"),
                                          (1_000_000, "microseconds")])
def test_unix_time_reads_with_date_format_s_its_unit_told_by_size(tmp_path, scale, unit):
    start = 1_700_000_000  # 2023-11-14 22:13:20 UTC
    rows = "".join(f"{(start + 3600 * i) * scale},{i}\n" for i in range(5))
    path = write(tmp_path, "ts,v\n" + rows)
    y, notes = read(path, "--date-format", "%s")
    assert y.index[0] == pd.Timestamp("2023-11-14 22:13:20", tz="UTC")
    assert y.index.freqstr == "h" and list(y) == [0, 1, 2, 3, 4]
    assert any(f"Unix time in {unit}" in note for note in notes)


def test_unix_time_without_the_option_is_an_error_that_names_it(tmp_path):
    path = write(tmp_path, "ts,v\n1700000000,1\n1700003600,2\n1700007200,3\n")
    assert "may be Unix time: --date-format %s reads them" in error_of(path)
    # Small numbers are not taken for Unix time.
    assert "Unix" not in error_of(write(tmp_path, "ts,v\n17,1\n18,2\n", "small.csv"))
    # A cell that is not a number, with the option.
    bad = write(tmp_path, "ts,v\n1700000000,1\nsoon,2\n", "bad.csv")
    assert "must hold Unix times" in error_of(bad, "--date-format", "%s")
    assert "line 3 'soon'" in error_of(bad, "--date-format", "%s")


def test_spreadsheet_serial_dates_are_an_error_that_says_what_they_are(tmp_path):
    path = write(tmp_path, "date,v\n45292,1\n45293,2\n45294.5,3\n")
    message = error_of(path)
    assert "may be a spreadsheet's serial dates (days since 1899-12-30: 45292 is " \
           "2024-01-01): --date-format serial reads them" in message
    assert pd.Timestamp("1899-12-30") + pd.Timedelta(days=45292) == pd.Timestamp("2024-01-01")
    small = write(tmp_path, "ts,v\n17,1\n18,2\n", "small.csv")
    assert "spreadsheet's serial" not in error_of(small)


def test_spreadsheet_serial_dates_read_with_date_format_serial(tmp_path):
    rows = "".join(f"{45292 + i},{i}\n" for i in range(8) if i != 2)  # no 2024-01-03
    y, notes = read(write(tmp_path, "date,v\n" + rows), "--date-format", "serial")
    assert list(y.index) == list(pd.date_range("2024-01-01", periods=8, freq="D"))
    assert np.isnan(y.iloc[2]) and y.iloc[7] == 7
    assert any("spreadsheet's serial dates" in note for note in notes)
    # Times of day as fractions, written to 10 decimals: read to the second.
    hours = "".join(f"{45292 + i / 24:.10f},{i}\n" for i in range(5))
    y, _ = read(write(tmp_path, "when,v\n" + hours, "hourly.csv"), "--date-format", "serial")
    assert list(y.index) == list(pd.date_range("2024-01-01", periods=5, freq="h"))
    assert y.index.freqstr == "h"
    bad = write(tmp_path, "date,v\n45292,1\nmonday,2\n", "bad.csv")
    message = error_of(bad, "--date-format", "serial")
    assert "must hold a spreadsheet's serial dates" in message and "line 3 'monday'" in message


def test_date_format_reads_the_timestamps(tmp_path):
    path = write(tmp_path, "t,v\n01.02.2024 13h,1\n01.02.2024 14h,2\n01.02.2024 15h,3\n")
    y, _ = read(path, "--date-format", "%d.%m.%Y %Hh")
    assert y.index[0] == pd.Timestamp("2024-02-01 13:00") and y.index.freqstr == "h"
    assert "does not match --date-format '%Y'" in error_of(path, "--date-format", "%Y")


def test_offsets_that_change_with_daylight_saving_are_read_in_utc(tmp_path):
    # Berlin, spring forward: 02:00 local does not exist on 2024-03-31.
    path = write(tmp_path, "time,load\n2024-03-31 00:00:00+01:00,1\n"
                           "2024-03-31 01:00:00+01:00,2\n2024-03-31 03:00:00+02:00,3\n"
                           "2024-03-31 04:00:00+02:00,4\n")
    y, notes = read(path, "--freq", "h")
    assert list(y.index) == list(pd.date_range("2024-03-30 23:00", periods=4, freq="h",
                                               tz="UTC"))
    assert y.notna().all()
    assert "read in UTC" in notes[0] and "+01:00, +02:00" in notes[0]


def test_offsets_that_change_on_daily_data_keep_the_local_dates(tmp_path):
    path = write(tmp_path, "day,v\n2024-03-30T00:00+01:00,1\n2024-03-31T00:00+01:00,2\n"
                           "2024-04-01T00:00+02:00,3\n")
    y, notes = read(path)
    assert list(y.index) == list(pd.date_range("2024-03-30", periods=3, freq="D"))
    assert "local dates kept" in notes[0]


def test_one_offset_throughout_is_kept(tmp_path):
    path = write(tmp_path, "t,v\n2024-01-01T00:00Z,1\n2024-01-01T01:00Z,2\n"
                           "2024-01-01T02:00Z,3\n")
    y, notes = read(path)
    assert str(y.index.tz) == "UTC" and notes == []


def test_byte_order_mark_and_crlf_line_ends_read_as_plain_csv(tmp_path):
    path = write(tmp_path, "date,v\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3\n",
                 newline="\r\n", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfdate")
    y, _ = read(path)
    assert y.name == "v" and y.index.name == "date" and list(y) == [1, 2, 3]


# --------------------------------------------------------------------------- #
# Order and gaps
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("freq", [[], ["--freq", "h"]])
def test_missing_hours_become_missing_values_on_the_hourly_grid(tmp_path, freq):
    path = write(tmp_path, hourly_csv(48, skip=(5, 6, 30)))
    y, notes = read(path, *freq)
    assert len(y) == 48 and y.index.freqstr == "h"
    assert np.flatnonzero(y.isna()).tolist() == [5, 6, 30]
    observed = y.dropna()
    assert (observed == observed.index.hour).all()  # the daily cycle is not shifted
    assert "3 missing timestamps inserted as missing values (2024-01-01 05:00:00, " in notes[0]
    assert "--freq h" in notes[0]


def test_a_freq_that_would_mostly_insert_missing_values_is_an_error(tmp_path):
    path = write(tmp_path, hourly_csv(24))
    assert "most common step of the file is --freq h" in error_of(path, "--freq", "min")


def test_timestamps_off_the_freq_grid_name_their_lines(tmp_path):
    path = write(tmp_path, hourly_csv(6).replace("03:00:00", "03:30:00"))
    message = error_of(path, "--freq", "h")
    assert "not on the --freq h grid" in message and "line 5 '2024-01-01 03:30:00'" in message


def test_months_with_a_gap_are_read_as_months_with_the_month_inserted(tmp_path):
    path = write(tmp_path, "t,v\n2024-01-01,1\n2024-02-01,2\n2024-03-01,3\n2024-05-01,5\n"
                           "2024-06-01,6\n")
    y, notes = read(path)
    assert y.index.freqstr == "MS" and np.flatnonzero(y.isna()).tolist() == [3]
    assert notes == ["one value per month (--freq MS): 1 missing timestamp inserted as "
                     "missing values (2024-04-01)"]
    y, notes = read(path, "--freq", "MS")
    assert y.index.freqstr == "MS" and np.flatnonzero(y.isna()).tolist() == [3]
    assert notes == ["--freq MS: 1 missing timestamp inserted as missing values (2024-04-01)"]
    assert "not a pandas frequency" in error_of(path, "--freq", "H")
    ends = write(tmp_path, "t,v\n2024-01-31,1\n2024-02-29,2\n2024-04-30,4\n", "ends.csv")
    y, _ = read(ends)
    assert y.index.freqstr == "ME" and y.index[1] == pd.Timestamp("2024-02-29")


def month_days_csv(days, periods=14, freq="MS"):
    """One value per period (month, quarter, year) on day ``days`` after its start."""
    index = pd.date_range("2020-01-01", periods=periods, freq=freq) + pd.Timedelta(days=days)
    return "t,v\n" + "".join(f"{t.date()},{i}\n" for i, t in enumerate(index))


@pytest.mark.parametrize("freq, name", [("MS", "month"), ("QS", "quarter"), ("YS", "year")])
def test_one_value_per_period_on_other_days_is_dated_the_period_start(tmp_path, freq, name):
    # The 15th of each month (a mid-quarter, mid-year day): no frequency
    # fits, and each steps 28 to 31 days (or more); before, an error asked
    # for a --freq none of which read the file.
    path = write(tmp_path, month_days_csv(14 if name == "month" else 40, freq=freq))
    y, notes = read(path)
    expected = pd.date_range("2020-01-01", periods=14, freq=freq)
    assert list(y.index) == list(expected) and y.index.freqstr.startswith(freq)
    assert list(y) == list(range(14))
    assert notes == [f"one value per {name} on varying days ("
                     f"{(expected[0] + pd.Timedelta(days=14 if name == 'month' else 40)).date()}"
                     f", {(expected[1] + pd.Timedelta(days=14 if name == 'month' else 40)).date()}"
                     f", ...): each is dated the first day of its {name}"]


def test_one_value_every_two_months_is_not_read_as_months_with_half_missing(tmp_path):
    path = write(tmp_path, month_days_csv(14, periods=12, freq="2MS"))
    assert "the timestamps have no fixed step" in error_of(path)


def test_freq_dates_values_off_its_anchor_by_their_period_and_says_so(tmp_path):
    path = write(tmp_path, month_days_csv(14).replace("2020-05-15,4\n", ""))
    y, notes = read(path, "--freq", "MS")
    assert y.index[0] == pd.Timestamp("2020-01-01") and np.flatnonzero(y.isna()).tolist() == [4]
    assert notes[0] == ("--freq MS: the timestamps lie on other days (2020-01-15, "
                        "2020-02-15, ...); each is dated the first day of its month")
    y, notes = read(path, "--freq", "ME")
    assert y.index[0] == pd.Timestamp("2020-01-31") and y.index.freqstr == "ME"
    assert "each is dated the last day of its month" in notes[0]
    # Two values in a month are not months: the grid check says which are off it.
    daily = write(tmp_path, "t,v\n2020-01-15,1\n2020-01-20,2\n2020-02-15,3\n", "two.csv")
    assert "not on the --freq MS grid" in error_of(daily, "--freq", "MS")


def test_weeks_with_a_gap_are_read_as_weeks_of_their_weekday(tmp_path):
    # The most common step of Monday rows is a week: read as W-MON, whose
    # season is a year (52), not as 7D, which has none.
    mondays = pd.date_range("2023-01-02", periods=30, freq="W-MON").delete(10)
    path = write(tmp_path, "t,v\n" + "".join(f"{d.date()},{i}\n" for i, d in enumerate(mondays)))
    y, notes = read(path)
    assert y.index.freqstr == "W-MON" and np.flatnonzero(y.isna()).tolist() == [10]
    assert "(--freq W-MON): 1 missing timestamp inserted" in notes[0]


def test_empty_columns_without_a_header_are_ignored_with_a_note(tmp_path):
    path = write(tmp_path, "date,value,,\n2024-01-01,1,,\n2024-01-02,2,,\n2024-01-03,3,,\n"
                           ",,,\n")
    y, notes = read(path)
    assert list(y) == [1, 2, 3] and notes == ["2 empty columns without a header ignored"]
    # A column with values but no header is still a value column to choose.
    path = write(tmp_path, "date,value,\n2024-01-01,1,5\n2024-01-02,2,6\n", "named.csv")
    assert "several value columns ['value', 'Unnamed: 2']" in error_of(path)


@pytest.mark.parametrize("freq", [[], ["--freq", "h"]])
def test_a_drifting_logger_clock_is_read_at_the_nearest_step(tmp_path, freq):
    hours = pd.date_range("2024-01-01", periods=48, freq="h")
    drift = pd.to_timedelta(np.tile([0, 3, -2, 1], 12), unit="s")
    stamps = (hours + drift).delete(30)  # and a missing hour
    path = write(tmp_path, "t,v\n" + "".join(f"{t},{t.round('h').hour}\n" for t in stamps))
    y, notes = read(path, *freq)
    assert y.index.freqstr == "h" and y.index[0] == hours[0] and len(y) == 48
    assert np.flatnonzero(y.isna()).tolist() == [30]
    observed = y.dropna()
    assert (observed == observed.index.hour).all()
    assert notes[0] == ("35 timestamps up to 3s off the --freq h grid (a drifting clock): "
                        "each is read at its nearest step")


def test_timestamps_far_off_a_round_step_or_sharing_one_are_not_moved(tmp_path):
    # A quarter of an hour off: more than a tenth of the step.
    stamps = pd.date_range("2024-01-01", periods=12, freq="h") + pd.to_timedelta(
        np.tile([0, 15], 6), unit="min")
    path = write(tmp_path, "t,v\n" + "".join(f"{t},1\n" for t in stamps))
    assert "not on the --freq h grid" in error_of(path, "--freq", "h")
    # Two readings within seconds of one hour: not one per step.
    stamps = pd.DatetimeIndex(["2024-01-01 00:00:00", "2024-01-01 01:00:01",
                               "2024-01-01 01:00:04", "2024-01-01 02:00:00"])
    path = write(tmp_path, "t,v\n" + "".join(f"{t},1\n" for t in stamps), "two.csv")
    assert "not on the --freq h grid" in error_of(path, "--freq", "h")


def test_business_days_keep_holidays_out_and_say_so(tmp_path):
    days = pd.bdate_range("2024-01-01", periods=20).delete([3, 10])
    path = write(tmp_path, "t,close\n" + "".join(f"{d.date()},{i}\n"
                                                  for i, d in enumerate(days)))
    assert "--freq B to read the rows as consecutive business days" in error_of(path)
    y, notes = read(path, "--freq", "B")
    assert list(y.index) == list(days) and y.notna().all()
    assert "2 --freq B steps without a row" in notes[0]
    y, _ = read(path, "--freq", "D")
    assert y.isna().sum() == len(pd.date_range(days[0], days[-1])) - len(days)


def test_several_series_in_long_form_are_named_with_the_option_that_reads_them(tmp_path):
    days = pd.date_range("2023-01-01", periods=30, freq="D")
    rows = "".join(f"{store},{d.date()},{i}\n" for store in "AB" for i, d in enumerate(days))
    path = write(tmp_path, "store,date,sales\n" + rows)
    options = ["--date-column", "date", "--target", "sales"]
    message = error_of(path, *options)
    assert ("column 'store' names 2 series ('A', 'B'), each with its own timestamps: pass "
            "--id-column store to forecast every one of them") in message
    # The option named reads the file as it is.
    args = build_parser().parse_args(["forecast", str(path), "--horizon", "1", *options,
                                      "--id-column", "store"])
    data = read_panel(args)
    assert list(data.series) == ["A", "B"]
    assert all(list(y) == list(range(30)) and y.index.freqstr == "D"
               for y in data.series.values())


def test_unsorted_rows_are_sorted_with_a_note_and_duplicates_name_their_lines(tmp_path):
    path = write(tmp_path, "t,v\n2024-01-01,1\n2024-01-03,3\n2024-01-02,2\n2024-01-04,4\n")
    y, notes = read(path)
    assert list(y) == [1, 2, 3, 4] and y.index.freqstr == "D"
    assert notes == ["rows sorted into time order (line 4, 2024-01-02, came after "
                     "2024-01-03)"]
    path = write(tmp_path, "t,v\n2024-01-01,1\n2024-01-02,2\n2024-01-01,9\n", "dup.csv")
    assert "timestamp 2024-01-01 is on lines 2, 4" in error_of(path)


# --------------------------------------------------------------------------- #
# The report
# --------------------------------------------------------------------------- #
def test_the_report_prints_what_was_read(tmp_path, capsys):
    text = hourly_csv(96, skip=(40,)).replace(",", ";")
    path = write(tmp_path, text)
    code = main(["forecast", str(path), "--horizon", "2", "--no-backtest", "--sep", ";",
                 "--window", "24"])
    printed = capsys.readouterr().out
    assert code == 0
    assert f"{path}: value, 96 rows from 2024-01-01 00:00:00 to 2024-01-04 23:00:00 " \
           "(1 missing)" in printed
    assert "\n  no frequency fits the timestamps because of gaps; read on their most common " \
           "step (--freq h): 1 missing timestamp inserted as missing values" in printed
    assert "2024-01-05 01:00:00" in printed
