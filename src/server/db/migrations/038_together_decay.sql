-- Frequently bought together (issue 16), second part: counts fade, returns take their items out, and a large basket is
-- counted over several short transactions (server/reports/together-counts.ts).
--
-- part: how many rows of pairs of the journal entry after last_seq are counted already (0: none; its products and
-- basket go in with its first row), so no one transaction holds the writer for more than a few milliseconds.
ALTER TABLE together_cursor ADD COLUMN part INTEGER NOT NULL DEFAULT 0 CHECK (part >= 0);
-- Counts are halved once a period (the setting together_halve_days) has passed: period_start is when the current one
-- began (null: nothing counted since this migration), halvings how many were made so far.
ALTER TABLE together_cursor ADD COLUMN period_start TEXT;
ALTER TABLE together_cursor ADD COLUMN halvings INTEGER NOT NULL DEFAULT 0 CHECK (halvings >= 0);
-- A halving under way: each count is shifted right by halve_by (0: none under way), the pairs first (stage 0) then
-- the products (stage 1), in key order after (halve_a, halve_b); counting waits until it is done.
ALTER TABLE together_cursor ADD COLUMN halve_by INTEGER NOT NULL DEFAULT 0 CHECK (halve_by BETWEEN 0 AND 62);
ALTER TABLE together_cursor ADD COLUMN halve_stage INTEGER NOT NULL DEFAULT 0 CHECK (halve_stage IN (0, 1));
ALTER TABLE together_cursor ADD COLUMN halve_a INTEGER NOT NULL DEFAULT 0;
ALTER TABLE together_cursor ADD COLUMN halve_b INTEGER NOT NULL DEFAULT 0;
-- A new minimum (the setting together_min_baskets): every product's rules are worked out again, marked stale a batch at
-- a time in product order after restale_after (null: none to mark).
ALTER TABLE together_cursor ADD COLUMN restale_after INTEGER;
