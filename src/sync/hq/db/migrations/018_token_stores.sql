-- API tokens limited to some stores, chosen when the token is made: its program reads only those stores' figures,
-- reconciliation and dead letters, as a person limited to them does. NULL means every store. An array on the token, as
-- on hq_users: it is read with the token on every request.
ALTER TABLE hq_api_tokens ADD COLUMN stores uuid[];
