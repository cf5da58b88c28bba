"""The change feed partners sync from."""
