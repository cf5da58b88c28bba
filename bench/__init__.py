"""Measurements from outside a running server: hostile.py (issue 9), speed.py (issue 11)."""
