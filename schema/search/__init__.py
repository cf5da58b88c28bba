"""Search across cities, provinces, projects and organisations."""
