-- What PostGraphile 5's default (amber) preset cannot answer from the tables alone, as
-- PostGraphile users add it: SQL functions in a schema of their own, which PostGraphile
-- exposes as root query fields. Loaded by bench/speed.py into each bench database only.
--
-- * Aggregates: amber has no aggregates (that is the @graphile/pg-aggregates plugin, not in
--   the preset), so `investmentTotals` returns the groups ready-made, GROUP BY in SQL: the
--   same rows as our `investmentSummary(groupBy: KIND)`.
-- * Search: amber has no filter or LIKE on columns (that is a connection-filter plugin), so
--   `search` runs db/search.py's SQL: the same match (a substring of the folded text, through
--   the pg_trgm index), the same ranking and the same tie-breaks.

DROP SCHEMA IF EXISTS bench_postgraphile CASCADE;
CREATE SCHEMA bench_postgraphile;

CREATE TYPE bench_postgraphile.investment_total AS (
  kind text,
  count bigint,
  total numeric
);

CREATE FUNCTION bench_postgraphile.investment_totals(currency text)
RETURNS SETOF bench_postgraphile.investment_total
LANGUAGE sql STABLE AS $$
  SELECT kind, count(*), sum(amount)
  FROM public.investment
  WHERE investment.currency = investment_totals.currency
  GROUP BY kind
  ORDER BY kind
$$;

-- `query` is already folded (lower case), as db/search.py folds it before matching; a Thai
-- query folds to itself.
CREATE FUNCTION bench_postgraphile.search(query text)
RETURNS SETOF public.search_document
LANGUAGE sql STABLE AS $$
  SELECT d.*
  FROM public.search_document AS d
  WHERE d.text LIKE '%' || query || '%'
  ORDER BY
    CASE
      WHEN d.name_th = query OR d.name_en = query THEN 0
      WHEN d.name_th LIKE query || '%' OR d.name_en LIKE query || '%' THEN 1
      WHEN d.name_th LIKE '%' || query || '%' OR d.name_en LIKE '%' || query || '%' THEN 2
      ELSE 3
    END,
    CASE d.subject_type
      WHEN 'province' THEN 0 WHEN 'city' THEN 1 WHEN 'project' THEN 2 WHEN 'organization' THEN 3
      ELSE 4
    END,
    length(coalesce(d.name_th, d.name_en, '')),
    d.key
$$;
