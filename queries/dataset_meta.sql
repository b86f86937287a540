-- The dataset's description and build id (one row), every column: a file from an older version still answers,
-- so the store can see its schema_version and refuse it cleanly. Parameters: none.
SELECT *
FROM dataset
