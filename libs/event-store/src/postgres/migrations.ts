import type pg from 'pg';
import { checkOut } from './connections.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The event store's schema, one entry per version. Applied migrations are never edited:
 * a change is a new entry.
 */
export const EVENT_STORE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'append-only event log with its Merkle hashes',
    sql: `
CREATE SCHEMA IF NOT EXISTS events;

-- The single row every append updates: its row lock is the log's sequencer, so positions
-- are handed out densely and transactions commit in position order.
CREATE TABLE events.log_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  size bigint NOT NULL DEFAULT 0 CHECK (size >= 0)
);
INSERT INTO events.log_head DEFAULT VALUES;

-- hashes: the RFC 9162 leaf hash of this event, followed by the hash of every perfect
-- subtree whose last leaf is this event, lowest level first (32 bytes each).
CREATE TABLE events.events (
  global_position bigint PRIMARY KEY CHECK (global_position >= 0),
  event_id uuid NOT NULL,
  stream_id text NOT NULL,
  stream_version integer NOT NULL CHECK (stream_version >= 1),
  type text NOT NULL,
  schema_version integer NOT NULL CHECK (schema_version >= 1),
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  hashes bytea NOT NULL CHECK (octet_length(hashes) % 32 = 0 AND octet_length(hashes) >= 32),
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version)
);

CREATE FUNCTION events.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events.events is append-only: % is refused; record a correction event instead', TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'cuenta-immutable-log';
END
$$;

CREATE TRIGGER events_refuse_update_delete BEFORE UPDATE OR DELETE ON events.events
  FOR EACH ROW EXECUTE FUNCTION events.refuse_change();
CREATE TRIGGER events_refuse_truncate BEFORE TRUNCATE ON events.events
  FOR EACH STATEMENT EXECUTE FUNCTION events.refuse_change();
`,
  },
  {
    version: 2,
    name: 'signed checkpoints and witness cosignatures, append-only',
    sql: `
-- One refusal for every append-only table, naming the table.
CREATE OR REPLACE FUNCTION events.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%.% is append-only: % is refused; record a correction event instead',
    TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'cuenta-immutable-log';
END
$$;

-- note: the checkpoint as the log signed it (c2sp.org/signed-note), without cosignatures.
CREATE TABLE events.checkpoints (
  size bigint PRIMARY KEY CHECK (size >= 0),
  root_hash bytea NOT NULL CHECK (octet_length(root_hash) = 32),
  note text NOT NULL,
  signed_at timestamptz NOT NULL DEFAULT now()
);

-- line: the witness's signature line (c2sp.org/tlog-cosignature), verified before it is stored.
CREATE TABLE events.cosignatures (
  size bigint NOT NULL REFERENCES events.checkpoints (size),
  witness text NOT NULL,
  key_id bigint NOT NULL,
  cosigned_at timestamptz NOT NULL,
  line text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (size, witness, key_id)
);

CREATE TRIGGER checkpoints_refuse_update_delete BEFORE UPDATE OR DELETE ON events.checkpoints
  FOR EACH ROW EXECUTE FUNCTION events.refuse_change();
CREATE TRIGGER checkpoints_refuse_truncate BEFORE TRUNCATE ON events.checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION events.refuse_change();
CREATE TRIGGER cosignatures_refuse_update_delete BEFORE UPDATE OR DELETE ON events.cosignatures
  FOR EACH ROW EXECUTE FUNCTION events.refuse_change();
CREATE TRIGGER cosignatures_refuse_truncate BEFORE TRUNCATE ON events.cosignatures
  FOR EACH STATEMENT EXECUTE FUNCTION events.refuse_change();
`,
  },
  {
    version: 3,
    name: 'full entry bundles of the log, stored once, gzip-compressed',
    sql: `
-- gzip: the c2sp.org/tlog-tiles entry bundle of positions 256 * tile_index to
-- 256 * tile_index + 255 (each event's canonical JSON after a 2-byte length), gzip-compressed
-- as it is served. Derived from events.events: a full bundle never changes, so it is
-- assembled and compressed once instead of at every request.
CREATE TABLE events.entry_bundles (
  tile_index bigint PRIMARY KEY CHECK (tile_index >= 0),
  gzip bytea NOT NULL,
  stored_at timestamptz NOT NULL DEFAULT now()
);

-- A bundle is stored only for events the log holds, all 256 of them.
CREATE FUNCTION events.refuse_bundle_beyond_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.tile_index + 1) * 256 > (SELECT size FROM events.log_head) THEN
    RAISE EXCEPTION 'entry bundle % is beyond the log, which has % events',
      NEW.tile_index, (SELECT size FROM events.log_head)
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER entry_bundles_within_log BEFORE INSERT ON events.entry_bundles
  FOR EACH ROW EXECUTE FUNCTION events.refuse_bundle_beyond_log();
CREATE TRIGGER entry_bundles_refuse_update_delete BEFORE UPDATE OR DELETE ON events.entry_bundles
  FOR EACH ROW EXECUTE FUNCTION events.refuse_change();
CREATE TRIGGER entry_bundles_refuse_truncate BEFORE TRUNCATE ON events.entry_bundles
  FOR EACH STATEMENT EXECUTE FUNCTION events.refuse_change();
`,
  },
];

/** Advisory lock key shared by every Cuenta migrator (ASCII 'cmig'). */
const LOCK_KEY = 0x636d6967;

/**
 * Applies the migrations not yet recorded in `<schema>.schema_migrations`, each in its own
 * transaction, holding an advisory lock so two processes starting together do not race.
 * Returns the versions it applied.
 */
export async function runMigrations(
  pool: pg.Pool,
  migrations: Migration[] = EVENT_STORE_MIGRATIONS,
  schema = 'events',
): Promise<number[]> {
  // Held with an 'error' listener: a connection lost mid-migration fails the start, not the process.
  const held = await checkOut(pool);
  const { client } = held;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number }>(
      `SELECT version FROM ${schema}.schema_migrations`,
    );
    const applied = new Set(rows.map((row) => row.version));
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO ${schema}.schema_migrations (version, name) VALUES ($1, $2)`,
          [migration.version, migration.name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(
          `migration ${schema} ${migration.version} (${migration.name}) failed: ${(error as Error).message}`,
        );
      }
      done.push(migration.version);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    held.release();
  }
}
