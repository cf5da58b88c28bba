"""Data layer: SQLModel tables, queries, batch loaders and fixture loading.

Nothing here imports Strawberry or Starlette: `api` and `schema` build on this package, never
the other way round.
"""
