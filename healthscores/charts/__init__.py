"""Figures of the health pages, built from plain data (no ORM), tested without a
database; one module per page."""

from healthscores.charts.history import BAND_COLOURS, HistoryPoint, score_history_figure
from healthscores.charts.portfolio import BandBar, band_summary_figure

__all__ = ["BAND_COLOURS", "BandBar", "HistoryPoint", "band_summary_figure", "score_history_figure"]
