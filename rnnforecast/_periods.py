"""The longer calendar cycle around a seasonal period, shared by the forecaster and the pretrained network.

Read by :mod:`rnnforecast.forecasting.seasonal_lag` (the target a longer
season earlier as an input) and :mod:`rnnforecast.pretrained.history` (the
phase and baseline of a second period). Imports nothing.
"""

__all__ = ["SECOND_PERIODS"]

# Seasonal period -> its second period in steps: the business and calendar
# year of business-daily (5) and daily (7) data, the week of hourly (24) and
# half-hourly (48) data. Other periods (1, 4, 12) have none here.
SECOND_PERIODS = {5: 261, 7: 365, 24: 168, 48: 336}
