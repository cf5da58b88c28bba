"""Filters for the sources list (the Source type lives in schema.common)."""
