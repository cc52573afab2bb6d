-- The register's open sale and the parked sales are looked up on every scan and every recall; among a year of
-- completed sales they must be found by an index whose condition SQLite can match (status = 'open' does not, to the
-- planner, imply the older index's status IN ('open', 'parked')), not by reading the whole table.
CREATE INDEX sales_open_on_register ON sales(register_id, opened_at) WHERE status = 'open';
CREATE INDEX sales_parked ON sales(opened_at) WHERE status = 'parked';
