-- Head-office people: who may use the dashboard (users, their sessions, sign-in attempts per address), API tokens
-- for integrators, and the draft of the next catalog release. All small shared tables (Citus reference tables).

CREATE TABLE hq_users (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name            text NOT NULL,
  role            text NOT NULL CHECK (role IN ('admin', 'catalog', 'viewer')),
  password_hash   text NOT NULL,               -- argon2id (Bun.password), never the password
  failed_attempts integer NOT NULL DEFAULT 0,  -- wrong passwords in a row; five lock the user
  locked_until    timestamptz,
  disabled        boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  created_by      text                         -- who added them: a user's name, or 'command line' / 'first run'
);
-- One person per name, whatever the case they type it in.
CREATE UNIQUE INDEX hq_users_name ON hq_users (lower(name));

-- The cookie carries a random secret; only its SHA-256 is kept, so a copy of this table signs nobody in.
CREATE TABLE hq_sessions (
  id_hash      text PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES hq_users (id),
  csrf         text NOT NULL,  -- the token every state-changing request of this session must carry
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  ended_at     timestamptz
);
CREATE INDEX hq_sessions_user ON hq_sessions (user_id) WHERE ended_at IS NULL;

-- Sign-in attempts by network address, to slow down guessing across many names; kept for an hour.
CREATE TABLE hq_sign_in_attempts (
  address text NOT NULL,
  at      timestamptz NOT NULL
);
CREATE INDEX hq_sign_in_attempts_address ON hq_sign_in_attempts (address, at);

-- Bearer tokens of the /api/v1 JSON API. Random 256-bit secrets shown once; a plain SHA-256 is enough to find them.
CREATE TABLE hq_api_tokens (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   text,
  last_used_at timestamptz,
  revoked_at   timestamptz
);

-- The next catalog release being prepared: one pending change per product (sku) or tax class (code), holding the
-- whole item as it will be published. Publishing turns every row into one release and removes them in the same
-- transaction.
CREATE TABLE catalog_draft_changes (
  kind       text NOT NULL CHECK (kind IN ('tax_class', 'product')),
  key        text NOT NULL,
  item       jsonb NOT NULL,
  changed_by text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, key)
);

ALTER TABLE catalog_releases ADD COLUMN published_by text;
