"""Evaluation, plots and the HTML review page."""
