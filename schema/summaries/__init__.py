"""Totals, breakdowns and rankings computed from the data."""
