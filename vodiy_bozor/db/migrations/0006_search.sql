-- reserved: search (merged from another branch)
-- A statement, because asyncpg cannot execute a file of comments only.
SELECT 1;
