import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The personal-data store (docs/privacy.md), in a schema of its own: it is not a read model
 * (nothing rebuilds it from the log) and not the log (rows are deleted on erasure).
 * No column holds a personal value in plain text: values are AES-256-GCM ciphertexts under
 * their subject's data key, which is stored only wrapped by the key-encryption key kept in a
 * file outside the database. Erasing a subject deletes its values and its wrapped key, and
 * keeps the row as the record that, when, by whom and why it was erased.
 */
export class PersonalData1795000000900 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE SCHEMA IF NOT EXISTS personal');
    // kek_id: which key-encryption key wrapped the data key (16 hex digits of its hash), so a
    // wrong key file is reported as such. receipt_secret_hash: SHA-256 of the receipt's secret.
    await runner.query(`
      CREATE TABLE personal.subjects (
        subject_id uuid PRIMARY KEY,
        kek_id text CHECK (kek_id ~ '^[0-9a-f]{16}$'),
        wrapped_key bytea CHECK (octet_length(wrapped_key) = 60),
        receipt_secret_hash bytea NOT NULL UNIQUE CHECK (octet_length(receipt_secret_hash) = 32),
        created_at timestamptz NOT NULL DEFAULT now(),
        erased_at timestamptz,
        erased_by text CHECK (btrim(erased_by) <> ''),
        erasure_reason text CHECK (btrim(erasure_reason) <> ''),
        CONSTRAINT subjects_key_until_erased CHECK (
          (erased_at IS NULL AND wrapped_key IS NOT NULL AND kek_id IS NOT NULL
            AND erased_by IS NULL AND erasure_reason IS NULL)
          OR (erased_at IS NOT NULL AND wrapped_key IS NULL AND kek_id IS NULL
            AND erased_by IS NOT NULL AND erasure_reason IS NOT NULL))
      )`);
    // ciphertext: the 32-byte salt and the value's canonical JSON, encrypted; bound (as
    // authenticated data) to subject_id, value_id, event_id, kind and path.
    await runner.query(`
      CREATE TABLE personal.personal_values (
        value_id uuid PRIMARY KEY,
        subject_id uuid NOT NULL REFERENCES personal.subjects (subject_id),
        event_id uuid NOT NULL,
        path text NOT NULL CHECK (path ~ '^(/([^~/]|~[01])*)+$'),
        kind text NOT NULL CHECK (kind IN ('contact', 'sensitive', 'comment', 'name')),
        ciphertext bytea NOT NULL CHECK (octet_length(ciphertext) > 32),
        iv bytea NOT NULL CHECK (octet_length(iv) = 12),
        tag bytea NOT NULL CHECK (octet_length(tag) = 16),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      'CREATE INDEX personal_values_subject_idx ON personal.personal_values (subject_id)',
    );
    await runner.query(
      'CREATE INDEX personal_values_event_idx ON personal.personal_values (event_id)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE personal.personal_values');
    await runner.query('DROP TABLE personal.subjects');
    await runner.query('DROP SCHEMA personal');
  }
}
