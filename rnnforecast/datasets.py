"""Real, public time series shipped with rnnforecast, as pandas objects.

Every loader reads one CSV from the package's own data folder; nothing is ever
downloaded. A univariate file comes back as a :class:`pandas.Series` named by its
value column, a multivariate one as a :class:`pandas.DataFrame`. The index is a
:class:`pandas.DatetimeIndex` named by the file's first column (``date`` or
``timestamp``, naive local clock time). Its ``freq`` is set explicitly per file,
never inferred at load time; setting it checks that every time stamp lies on
that frequency, so a damaged file fails loudly instead of loading with gaps.
The one file without a fixed frequency is the MSFT stock series (trading days
only): its index has ``freq=None``.

Values keep the types of the CSV (integer columns load as ``int64``, columns
with missing values as ``float64`` with NaN). Each call reads the file afresh,
so the caller may modify the result freely.

Where the files live. An installed wheel carries them in
``rnnforecast/_datasets/``; a source checkout or an editable install reads them
from the repository's top-level ``datasets/`` folder. Provenance, licences and
the cleaning done are in ``datasets/README.md``.

Examples
--------
>>> from rnnforecast.datasets import list_datasets, load_dataset
>>> list_datasets()[:3]
['airline_passengers', 'melbourne_daily_min_temp', 'uk_electricity_demand']
>>> load_dataset("sunspots").index.freqstr
'MS'
"""

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

__all__ = [
    "list_datasets",
    "load_dataset",
    "load_airline_passengers",
    "load_melbourne_daily_min_temp",
    "load_uk_electricity_demand",
    "load_msft_stock",
    "load_sunspots",
    "load_beijing_pm25",
    "load_us_change",
]


@dataclass(frozen=True)
class _Dataset:
    filename: str
    freq: str | None  # pandas alias; None for an irregular calendar
    univariate: bool


# Names are the suffixes of the load_* functions, in the order they are documented.
_DATASETS = {
    "airline_passengers": _Dataset("airline_passengers.csv", "MS", True),
    "melbourne_daily_min_temp": _Dataset("melbourne_daily_min_temp.csv", "D", True),
    "uk_electricity_demand": _Dataset(
        "uk_electricity_demand_halfhourly.csv", "30min", True
    ),
    "msft_stock": _Dataset("msft_stock_daily.csv", None, False),
    "sunspots": _Dataset("sunspots_monthly.csv", "MS", True),
    "beijing_pm25": _Dataset("beijing_pm25_hourly.csv", "h", False),
    "us_change": _Dataset("us_change_quarterly.csv", "QS-JAN", False),
}


def _data_locations():
    """Folders that may hold the CSVs, in the order they are searched.

    First the copy inside the installed package (``force-include`` in
    pyproject.toml puts ``datasets/`` there in a wheel), then the repository's
    top-level ``datasets/`` folder for a source checkout or editable install.
    """
    return [
        resources.files(__package__).joinpath("_datasets"),
        Path(__file__).resolve().parent.parent / "datasets",
    ]


def _find_csv(filename):
    """Return the first existing ``filename`` among :func:`_data_locations`."""
    locations = _data_locations()
    for folder in locations:
        candidate = folder.joinpath(filename)
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(folder) for folder in locations)
    raise FileNotFoundError(
        f"dataset file {filename!r} was not found; searched: {searched}. "
        "An installed rnnforecast keeps its data in rnnforecast/_datasets/ and a "
        "source checkout in the top-level datasets/ folder; reinstall the package "
        "or restore the file."
    )


def _read(name):
    spec = _DATASETS[name]
    # A Traversable opens in a wheel, a zip or a plain folder alike.
    with _find_csv(spec.filename).open("rb") as stream:
        frame = pd.read_csv(
            stream, index_col=0, parse_dates=[0], date_format="ISO8601"
        )
    # Rebuilding the index with a freq validates every stamp against it and
    # needs no pd.infer_freq.
    try:
        frame.index = pd.DatetimeIndex(frame.index, freq=spec.freq)
    except ValueError as error:
        raise ValueError(
            f"dataset file {spec.filename!r} has time stamps that do not follow "
            f"freq={spec.freq!r}: {error}"
        ) from error
    if spec.univariate:
        return frame.iloc[:, 0]
    return frame


def list_datasets():
    """Return the names accepted by :func:`load_dataset`.

    Each name ``<name>`` also has its own loader ``load_<name>()`` with the
    dataset's documentation.

    Returns
    -------
    names : list of str
        Dataset names, in a fixed order.

    Examples
    --------
    >>> from rnnforecast.datasets import list_datasets
    >>> list_datasets()  # doctest: +NORMALIZE_WHITESPACE
    ['airline_passengers', 'melbourne_daily_min_temp', 'uk_electricity_demand',
     'msft_stock', 'sunspots', 'beijing_pm25', 'us_change']
    """
    return list(_DATASETS)


def load_dataset(name):
    """Load a bundled dataset by name.

    Parameters
    ----------
    name : str
        One of :func:`list_datasets`. ``load_dataset("sunspots")`` is the same
        as ``load_sunspots()``, whose docstring describes the data.

    Returns
    -------
    data : pandas.Series or pandas.DataFrame
        A Series for a univariate dataset, a DataFrame for a multivariate one,
        indexed by a DatetimeIndex.

    Raises
    ------
    TypeError
        If ``name`` is not a string.
    ValueError
        If ``name`` is not a known dataset.
    FileNotFoundError
        If the dataset's CSV is missing from the installation.

    Examples
    --------
    >>> from rnnforecast.datasets import load_dataset
    >>> y = load_dataset("airline_passengers")
    >>> y.name, y.shape, y.index.freqstr
    ('passengers', (144,), 'MS')
    """
    if not isinstance(name, str):
        raise TypeError(
            f"name must be a str, got {type(name).__name__}: {name!r}"
        )
    if name not in _DATASETS:
        raise ValueError(
            f"name={name!r} is not a known dataset; expected one of "
            f"{list_datasets()}"
        )
    return _read(name)


def load_airline_passengers():
    """Monthly international airline passengers, 1949-1960 (Box & Jenkins).

    The classic "Series G": monthly totals of international airline passengers,
    in thousands. A strong upward trend with a multiplicative yearly season
    (the seasonal swing grows with the level), so a log transform is common.

    ==================  ==============================================
    frequency           monthly, month start (``freq="MS"``)
    rows                144, 1949-01-01 .. 1960-12-01
    values              ``passengers`` (int64, thousands), no NaN
    suggested target    ``passengers``, seasonal period m=12
    ==================  ==============================================

    Source: Box, G.E.P., Jenkins, G.M. and Reinsel, G.C. (1976) *Time Series
    Analysis: Forecasting and Control*, Series G; the copy shipped by sktime
    1.2.0 (BSD-3-Clause). Also R ``datasets::AirPassengers``.

    Returns
    -------
    y : pandas.Series of shape (144,)
        Named ``"passengers"``, indexed by a DatetimeIndex named ``"date"``.

    Examples
    --------
    >>> from rnnforecast.datasets import load_airline_passengers
    >>> y = load_airline_passengers()
    >>> y.shape, y.index.freqstr
    ((144,), 'MS')
    >>> int(y.iloc[0]), int(y.iloc[-1])
    (112, 432)
    """
    return load_dataset("airline_passengers")


def load_melbourne_daily_min_temp():
    """Daily minimum air temperature in Melbourne, Australia, 1981-1990.

    A noisy series with a clear yearly cycle and no trend.

    ==================  ==============================================
    frequency           daily (``freq="D"``)
    rows                3652, 1981-01-01 .. 1990-12-31
    values              ``min_temp_c`` (float64, degrees Celsius), no NaN
    suggested target    ``min_temp_c``, seasonal period m=365 (yearly)
    ==================  ==============================================

    The source has no rows for 1984-12-31 and 1988-12-31; those two days were
    filled by linear interpolation between their neighbours (14.85 and 14.2)
    so that the calendar is complete.

    Source: Australian Bureau of Meteorology (c) Commonwealth of Australia, via
    Hyndman's Time Series Data Library; the copy in the GitHub repository
    ``jbrownlee/Datasets`` (``daily-min-temperatures.csv``), which has no
    licence file. Licence: not confirmed. BoM material is generally CC BY
    (attribution); credit "Australian Bureau of Meteorology, via the Time
    Series Data Library" and check the terms before redistributing.

    Returns
    -------
    y : pandas.Series of shape (3652,)
        Named ``"min_temp_c"``, indexed by a DatetimeIndex named ``"date"``.

    Examples
    --------
    >>> from rnnforecast.datasets import load_melbourne_daily_min_temp
    >>> y = load_melbourne_daily_min_temp()
    >>> y.shape, y.index.freqstr
    ((3652,), 'D')
    >>> float(y["1984-12-31"])
    14.85
    """
    return load_dataset("melbourne_daily_min_temp")


def load_uk_electricity_demand():
    """Half-hourly electricity demand in England and Wales, summer 2000.

    Twelve weeks of demand from Monday 2000-06-05 00:00 to Sunday 2000-08-27
    23:30, with a daily and a weekly cycle (weekends are lower).

    ==================  ==============================================
    frequency           30 minutes (``freq="30min"``)
    rows                4032, 2000-06-05 00:00 .. 2000-08-27 23:30
    values              ``demand_mw`` (int64, megawatts), no NaN
    suggested target    ``demand_mw``, seasonal periods m=48 (daily) and
                        m=336 (weekly)
    ==================  ==============================================

    Time stamps are naive UK local time (BST); there is no daylight-saving
    change inside the span. They were built from the documented start, as the
    source stores values only.

    Source: Taylor, J.W. (2003) "Short-term electricity demand forecasting
    using double seasonal exponential smoothing", *J. Operational Research
    Society* 54, 799-805 (National Grid data, kindly provided by James W
    Taylor); the copy shipped by pmdarima 2.1.1 (MIT). Also R
    ``forecast::taylor``.

    Returns
    -------
    y : pandas.Series of shape (4032,)
        Named ``"demand_mw"``, indexed by a DatetimeIndex named ``"timestamp"``.

    Examples
    --------
    >>> from rnnforecast.datasets import load_uk_electricity_demand
    >>> y = load_uk_electricity_demand()
    >>> y.shape, y.index.freqstr
    ((4032,), '30min')
    >>> int(y.iloc[0])
    22262
    """
    return load_dataset("uk_electricity_demand")


def load_msft_stock():
    """Microsoft (MSFT) daily prices and volume, 1986-2017.

    Daily open, high, low and close prices (US dollars, adjusted for splits
    and dividends) and the traded volume, on NYSE trading days only.

    ==================  ==============================================
    frequency           none: trading days only (``freq=None``)
    rows                7983, 1986-03-13 .. 2017-11-10
    columns             ``open, high, low, close`` (float64),
                        ``volume`` (int64), no NaN
    suggested target    ``close``; no seasonality
    ==================  ==============================================

    The index has no fixed frequency, because market holidays and closures
    (e.g. 2001-09-11 .. 2001-09-14, 2012-10-29/30) are missing days, so
    ``index.freq`` is None. For a regular business-day calendar, reindex and
    carry the last price forward; this adds 279 rows::

        prices = load_msft_stock().asfreq("B").ffill()

    A forecaster fitted on the raw trading days needs an explicit future
    frequency such as ``"B"``. The source has ``volume == 0`` on 2010-04-26, a
    glitch that was kept as it is.

    Source: Kaggle "Huge Stock Market Dataset" (Boris Marjanovic); the copy
    shipped by pmdarima 2.1.1 (MIT). The Kaggle page is believed to list CC0
    (public domain), which has not been re-checked.

    Returns
    -------
    data : pandas.DataFrame of shape (7983, 5)
        Indexed by a DatetimeIndex named ``"date"``.

    Examples
    --------
    >>> from rnnforecast.datasets import load_msft_stock
    >>> data = load_msft_stock()
    >>> data.shape, data.index.freq is None
    ((7983, 5), True)
    >>> list(data.columns)
    ['open', 'high', 'low', 'close', 'volume']
    >>> business = data.asfreq("B").ffill()
    >>> business.shape, business.index.freqstr
    ((8262, 5), 'B')
    """
    return load_dataset("msft_stock")


def load_sunspots():
    """Monthly mean relative sunspot numbers, 1749-1983 (version-1 series).

    The Zurich (Wolf) sunspot number: a quasi-periodic cycle of about 11 years
    whose length and amplitude vary, so it is not a fixed season.

    ==================  ==============================================
    frequency           monthly, month start (``freq="MS"``)
    rows                2820, 1749-01-01 .. 1983-12-01
    values              ``sunspots`` (float64), no NaN
    suggested target    ``sunspots``; cycle of about 132 months, not a
                        fixed seasonal period
    ==================  ==============================================

    Source: Andrews, D.F. and Herzberg, A.M. (1985) *Data*, Springer
    (observations of the Swiss Federal Observatory, Zurich, until 1960, then of
    the Tokyo Astronomical Observatory); R ``datasets::sunspots``; the copy
    shipped by pmdarima 2.1.1 (MIT). This is the older version-1 series, not
    today's SILSO version 2 (which is CC BY-NC).

    Returns
    -------
    y : pandas.Series of shape (2820,)
        Named ``"sunspots"``, indexed by a DatetimeIndex named ``"date"``.

    Examples
    --------
    >>> from rnnforecast.datasets import load_sunspots
    >>> y = load_sunspots()
    >>> y.shape, y.index.freqstr
    ((2820,), 'MS')
    >>> float(y.iloc[0]), float(y.iloc[-1])
    (58.0, 33.4)
    """
    return load_dataset("sunspots")


def load_beijing_pm25():
    """Hourly PM2.5 in Beijing with weather, 2013-2014 (multivariate).

    PM2.5 concentration measured at the US Embassy in Beijing, with weather
    observed at Beijing Capital International Airport in the same hour. The
    target has real missing hours, which makes it a test of NaN handling.

    ==================  ==============================================
    frequency           hourly (``freq="h"``)
    rows                17520, 2013-01-01 00:00 .. 2014-12-31 23:00
    NaN                 181 in ``pm25`` (70 gaps, the longest 17 hours),
                        none elsewhere
    suggested target    ``pm25``, seasonal period m=24; the other columns
                        as exogenous inputs
    ==================  ==============================================

    Columns:

    - ``pm25``: PM2.5 concentration (ug/m^3), float64 with NaN.
    - ``dew_point_c``, ``temperature_c``: dew point and temperature (Celsius).
    - ``pressure_hpa``: air pressure (hPa).
    - ``wind_speed_cum``: wind speed (m/s) cumulated over the current spell of
      one wind direction.
    - ``snow_hours_cum``, ``rain_hours_cum``: cumulated hours of snow and of
      rain.
    - ``wind_dir_NE``, ``wind_dir_NW``, ``wind_dir_SE``, ``wind_dir_calm_var``:
      one-hot combined wind direction (exactly one is 1 each hour;
      ``calm_var`` is calm or variable).

    The weather columns are observed, not known in advance: use them as past
    covariates. Time stamps are naive Beijing local time (UTC+8, no
    daylight saving). The file is the last two of the five years in the
    original.

    Source: UCI Machine Learning Repository, "Beijing PM2.5 Data" (id 381),
    donated by Song Xi Chen; cite Liang, X. et al. (2015) "Assessing Beijing's
    PM2.5 pollution: severity, weather impact, APEC and winter heating",
    *Proc. R. Soc. A* 471: 20150257. Licence: believed to be CC BY 4.0
    (attribution required), not re-checked.

    Returns
    -------
    data : pandas.DataFrame of shape (17520, 11)
        Indexed by a DatetimeIndex named ``"timestamp"``.

    Examples
    --------
    >>> from rnnforecast.datasets import load_beijing_pm25
    >>> data = load_beijing_pm25()
    >>> data.shape, data.index.freqstr
    ((17520, 11), 'h')
    >>> int(data["pm25"].isna().sum())
    181
    >>> y, X = data["pm25"], data.drop(columns="pm25")
    """
    return load_dataset("beijing_pm25")


def load_us_change():
    """Quarterly changes in US consumption, income and more, 1970-2016.

    Percentage changes in real personal consumption expenditure, real personal
    disposable income, industrial production and personal savings, and the
    change in the unemployment rate (percentage points), each quarter.

    ==================  ==============================================
    frequency           quarterly, quarter start (``freq="QS-JAN"``)
    rows                187, 1970-01-01 .. 2016-07-01
    columns             ``consumption, income, production, savings,
                        unemployment`` (float64), no NaN
    suggested target    ``consumption``, with ``income, production,
                        savings, unemployment`` as exogenous inputs;
                        seasonal period m=4 (weak seasonality)
    ==================  ==============================================

    Source: ``fpp2::uschange`` from Hyndman, R.J. and Athanasopoulos, G.
    *Forecasting: Principles and Practice*, 2nd ed., derived from US
    government statistics (public domain); the copy shipped by sktime 1.2.0
    (BSD-3-Clause).

    Returns
    -------
    data : pandas.DataFrame of shape (187, 5)
        Indexed by a DatetimeIndex named ``"date"``.

    Examples
    --------
    >>> from rnnforecast.datasets import load_us_change
    >>> data = load_us_change()
    >>> data.shape, data.index.freqstr
    ((187, 5), 'QS-JAN')
    >>> y, X = data["consumption"], data.drop(columns="consumption")
    """
    return load_dataset("us_change")
