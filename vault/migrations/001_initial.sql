-- Record vault, schema version 1. Runs unchanged on PGlite (embedded) and PostgreSQL.
-- Addresses and ids are stored as lower-case 0x-hex text; times as timestamptz.

-- Health-record payloads, encrypted at rest (AES-256-GCM with a per-record key wrapped by the master key).
-- Only what is already public on chain (id, subject, issuer, category) is stored in the clear.
CREATE TABLE records (
  id             text        PRIMARY KEY CHECK (id ~ '^0x[0-9a-f]{64}$'),
  subject        text        NOT NULL CHECK (subject ~ '^0x[0-9a-f]{40}$'),
  issuer         text        NOT NULL CHECK (issuer ~ '^0x[0-9a-f]{40}$'),
  category       smallint    NOT NULL CHECK (category BETWEEN 0 AND 5),
  status         text        NOT NULL CHECK (status IN ('awaiting-anchor', 'anchored', 'anchor-conflict')),
  source         text        NOT NULL CHECK (source IN ('upload', 'seed-import')),
  ciphertext     bytea       NOT NULL,
  iv             bytea       NOT NULL CHECK (octet_length(iv) = 12),
  tag            bytea       NOT NULL CHECK (octet_length(tag) = 16),
  wrapped_key    bytea       NOT NULL CHECK (octet_length(wrapped_key) = 32),
  key_iv         bytea       NOT NULL CHECK (octet_length(key_iv) = 12),
  key_tag        bytea       NOT NULL CHECK (octet_length(key_tag) = 16),
  master_key_id  text        NOT NULL,
  document_bytes integer     NOT NULL CHECK (document_bytes > 0),
  created_at     timestamptz NOT NULL,
  anchored_at    timestamptz
);
CREATE INDEX records_subject ON records (subject);
CREATE INDEX records_issuer ON records (issuer);

-- Sign-in nonces (EIP-4361). A nonce is consumed once, atomically, and only by a fully verified sign-in.
CREATE TABLE nonces (
  nonce      text        PRIMARY KEY CHECK (nonce ~ '^[A-Za-z0-9]{8,}$'),
  address    text        CHECK (address ~ '^0x[0-9a-f]{40}$'),
  issued_at  timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  used_by    text
);
CREATE INDEX nonces_expires_at ON nonces (expires_at);

-- Sessions: only the SHA-256 of the bearer token is stored.
CREATE TABLE sessions (
  token_hash text        PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  address    text        NOT NULL CHECK (address ~ '^0x[0-9a-f]{40}$'),
  chain_id   bigint      NOT NULL,
  nonce      text        NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Every record served. Reads by a third party are also logged on chain (ConsentRegistry.logAccess: tx_hash);
-- a citizen reading their own record is kept here only (self = true).
CREATE TABLE access_log (
  id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  record_id    text        NOT NULL REFERENCES records (id),
  citizen      text        NOT NULL,
  reader       text        NOT NULL,
  category     smallint    NOT NULL,
  self         boolean     NOT NULL,
  tx_hash      text        CHECK (tx_hash ~ '^0x[0-9a-f]{64}$'),
  block_number bigint,
  served_at    timestamptz NOT NULL,
  CHECK (self = (tx_hash IS NULL))
);
CREATE INDEX access_log_citizen ON access_log (citizen, id);
CREATE INDEX access_log_reader ON access_log (reader, id);
