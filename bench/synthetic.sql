-- The ×100 copy for bench/speed.py: 99 synthetic copies of every smart-city area, project,
-- milestone and investment (and their dimension links and search documents) beside the
-- fixtures, in one PostgreSQL statement batch. Provinces and dimensions are reference data
-- (Thailand has 77 provinces), so the copies point at the real ones: a province then has
-- 100 times the areas, which is what makes nested queries grow.
--
-- Run only on a bench database made as a copy of a freshly seeded one, never on a database
-- anyone serves: every row is labelled `synthetic-N-…` in its slug or key and
-- `Synthetic N: …` in its English name, so nothing can mistake it for real data.
-- Rows link to their copies through their slugs and keys (unique), not through ids.

BEGIN;

CREATE TEMPORARY TABLE copy_number ON COMMIT DROP AS
SELECT n FROM generate_series(1, 99) AS n;

INSERT INTO city (updated_at, slug, name_th, name_en, province_id, city_type, status, certification_round,
                  proposed_on, certified_on, operator_id, latitude, longitude,
                  location_precision, certainty)
SELECT c.updated_at, 'synthetic-' || n || '-' || c.slug, c.name_th,
       'Synthetic ' || n || ': ' || coalesce(c.name_en, c.slug), c.province_id, c.city_type,
       c.status, c.certification_round, c.proposed_on, c.certified_on, c.operator_id, c.latitude,
       c.longitude, c.location_precision, c.certainty
FROM city AS c CROSS JOIN copy_number
WHERE c.slug NOT LIKE 'synthetic-%';

INSERT INTO project (updated_at, slug, city_id, province_id, title_th, title_en, status,
                     start_on, end_on, budget, operator_id, is_headline, certainty)
SELECT p.updated_at, 'synthetic-' || n || '-' || p.slug, copy.id, p.province_id, p.title_th,
       'Synthetic ' || n || ': ' || coalesce(p.title_en, p.slug), p.status, p.start_on,
       p.end_on, p.budget, p.operator_id, p.is_headline, p.certainty
FROM project AS p CROSS JOIN copy_number
LEFT JOIN city AS original ON original.id = p.city_id
LEFT JOIN city AS copy ON copy.slug = 'synthetic-' || n || '-' || original.slug
WHERE p.slug NOT LIKE 'synthetic-%';

INSERT INTO milestone (updated_at, key, project_id, city_id, province_id, title_en, title_th,
                       type, status, due_on, met_on)
SELECT m.updated_at, 'synthetic-' || n || '-' || m.key, project_copy.id, city_copy.id,
       m.province_id, 'Synthetic ' || n || ': ' || coalesce(m.title_en, m.key), m.title_th,
       m.type, m.status, m.due_on, m.met_on
FROM milestone AS m CROSS JOIN copy_number
LEFT JOIN project AS project_original ON project_original.id = m.project_id
LEFT JOIN project AS project_copy
  ON project_copy.slug = 'synthetic-' || n || '-' || project_original.slug
LEFT JOIN city AS city_original ON city_original.id = m.city_id
LEFT JOIN city AS city_copy ON city_copy.slug = 'synthetic-' || n || '-' || city_original.slug
WHERE m.key NOT LIKE 'synthetic-%'
  -- A programme-wide or province-wide milestone belongs to no area: copying it would only
  -- make duplicates of real events, so only area and project milestones are copied.
  AND (m.project_id IS NOT NULL OR m.city_id IS NOT NULL);

INSERT INTO investment (updated_at, key, city_id, project_id, amount, currency, kind, stage,
                        label_en, investor_id, as_of, certainty)
SELECT i.updated_at, 'synthetic-' || n || '-' || i.key, city_copy.id, project_copy.id,
       i.amount, i.currency, i.kind, i.stage,
       'Synthetic ' || n || ': ' || coalesce(i.label_en, i.key), i.investor_id, i.as_of,
       i.certainty
FROM investment AS i CROSS JOIN copy_number
JOIN city AS city_original ON city_original.id = i.city_id
JOIN city AS city_copy ON city_copy.slug = 'synthetic-' || n || '-' || city_original.slug
LEFT JOIN project AS project_original ON project_original.id = i.project_id
LEFT JOIN project AS project_copy
  ON project_copy.slug = 'synthetic-' || n || '-' || project_original.slug
WHERE i.key NOT LIKE 'synthetic-%';

INSERT INTO city_dimension (updated_at, city_id, dimension_id)
SELECT link.updated_at, copy.id, link.dimension_id
FROM city_dimension AS link
JOIN city AS original ON original.id = link.city_id AND original.slug NOT LIKE 'synthetic-%'
CROSS JOIN copy_number
JOIN city AS copy ON copy.slug = 'synthetic-' || n || '-' || original.slug;

INSERT INTO project_dimension (updated_at, project_id, dimension_id)
SELECT link.updated_at, copy.id, link.dimension_id
FROM project_dimension AS link
JOIN project AS original
  ON original.id = link.project_id AND original.slug NOT LIKE 'synthetic-%'
CROSS JOIN copy_number
JOIN project AS copy ON copy.slug = 'synthetic-' || n || '-' || original.slug;

-- Search documents as db/search.py writes them: names folded (lower case), the Thai name
-- unchanged, so a Thai query finds each copy beside its original.
INSERT INTO search_document (updated_at, subject_type, subject_id, key, name_th, name_en, text)
SELECT d.updated_at, d.subject_type, copy.id, copy.slug, d.name_th, lower(copy.name_en),
       concat_ws(E'\n', d.name_th, lower(copy.name_en), 'synthetic ' || n)
FROM search_document AS d
CROSS JOIN copy_number
JOIN city AS copy ON copy.slug = 'synthetic-' || n || '-' || d.key
WHERE d.subject_type = 'city' AND d.key NOT LIKE 'synthetic-%'
UNION ALL
SELECT d.updated_at, d.subject_type, copy.id, copy.slug, d.name_th, lower(copy.title_en),
       concat_ws(E'\n', d.name_th, lower(copy.title_en), 'synthetic ' || n)
FROM search_document AS d
CROSS JOIN copy_number
JOIN project AS copy ON copy.slug = 'synthetic-' || n || '-' || d.key
WHERE d.subject_type = 'project' AND d.key NOT LIKE 'synthetic-%';

COMMIT;

ANALYZE;
