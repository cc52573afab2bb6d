-- Dead letters a person can see and settle, and head office's audit log.
-- A dead letter gets a number to be named by (its page, the API). Settling one — replayed once a fix let it land, or
-- discarded with a reason — moves it to settled_dead_letters, so dead_letters stays what is still open and every count
-- of it (the overview, a store's page) stays right without knowing about settling.

ALTER TABLE dead_letters ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX dead_letters_id ON dead_letters (id);
-- a replay that was refused again: when, by whom (the reason column then holds the new reason)
ALTER TABLE dead_letters ADD COLUMN tried_at timestamptz, ADD COLUMN tried_by text;

CREATE TABLE settled_dead_letters (
  store_id     uuid NOT NULL REFERENCES stores (store_id),
  id           bigint NOT NULL,
  epoch        text NOT NULL,
  seq          bigint NOT NULL,
  content_hash text NOT NULL,
  kind         text NOT NULL,
  reason       text NOT NULL,   -- the last reason it was refused for
  body         jsonb NOT NULL,
  at           timestamptz NOT NULL,
  outcome      text NOT NULL CHECK (outcome IN ('replayed', 'discarded')),
  -- replayed: 'merged' (it landed) or 'duplicate' (head office had it already by another way); discarded: null
  landed       text CHECK (landed IN ('merged', 'duplicate')),
  settled_by   text NOT NULL,
  settled_at   timestamptz NOT NULL DEFAULT now(),
  note         text,             -- why it was discarded
  PRIMARY KEY (store_id, id)
);
CREATE INDEX settled_dead_letters_id ON settled_dead_letters (id);

-- Every change a person or a program makes at head office: who, what, to what, before and after. Append-only. No
-- unique key: one would have to start with store_id to be distributed by it (Citus), and many changes concern no store;
-- the identity numbers the lines all the same.
CREATE TABLE hq_audit (
  id       bigint GENERATED ALWAYS AS IDENTITY,
  at       timestamptz NOT NULL DEFAULT now(),
  who      text NOT NULL,
  action   text NOT NULL,
  store_id uuid,
  subject  text NOT NULL,
  before   jsonb,
  after    jsonb
);
CREATE INDEX hq_audit_at ON hq_audit (at);
