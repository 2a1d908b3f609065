import { VerificationError } from './verification-error.js';

/**
 * The export bundle: a folder (or an archive of one) that a verifier checks offline.
 *
 * ```
 * <bundle>/
 *   manifest.json      BundleManifest
 *   keys.json          BundleKeys: the log's verifier key and the witnesses' keys
 *   events.jsonl       one event envelope per line, RFC 8785 canonical JSON, in position
 *                      order from 0, each line ending in "\n"; line n (1-based) is the leaf
 *                      at index n - 1
 *   checkpoints.jsonl  one CheckpointRecord per line, sizes strictly increasing; each note is
 *                      the log-signed checkpoint with every witness cosignature line the log
 *                      holds appended (a cosigned checkpoint is a single C2SP note)
 *   leaves.bin         (v2) the leaf hash the log stored for each event when it appended it,
 *                      32 bytes each, in position order: bytes [32n, 32n + 32) are the leaf
 *                      at index n, the one line n + 1 of events.jsonl must hash to
 * ```
 *
 * events.jsonl holds exactly the leaves [0, size of the last checkpoint): an export is cut at
 * a checkpoint, so every exported event is covered by a signature.
 *
 * leaves.bin is what lets a verifier name the exact event that differs: it first checks that
 * the leaf hashes give every signed root, then compares each event's leaf hash with the one
 * at its position. Without it (v1) a changed event can only be placed between two
 * checkpoints. v1 bundles stay verifiable.
 *
 * Cosignatures live inside the checkpoint notes rather than in a file of their own because
 * that is the C2SP representation every tool reads (Go's note.Open, transparency-dev
 * witnesses), and a note keeps a checkpoint and its cosignatures from being separated.
 *
 * keys.json is informational: a verifier must get the log key and the witness keys it trusts
 * from somewhere other than the bundle it is checking.
 */
export const BUNDLE_FORMAT = 'cuenta.ledger-bundle/v2';
/** The format before leaves.bin: still verified, naming a changed event's checkpoint range. */
export const BUNDLE_FORMAT_V1 = 'cuenta.ledger-bundle/v1';
const FORMATS: readonly string[] = [BUNDLE_FORMAT, BUNDLE_FORMAT_V1];

export const BUNDLE_FILES = {
  manifest: 'manifest.json',
  keys: 'keys.json',
  events: 'events.jsonl',
  checkpoints: 'checkpoints.jsonl',
  leaves: 'leaves.bin',
} as const;

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT | typeof BUNDLE_FORMAT_V1;
  /** The log's origin, as on every checkpoint's first line. */
  origin: string;
  /** Number of lines in events.jsonl (= size of the last checkpoint). */
  events: number;
  /** Number of lines in checkpoints.jsonl. */
  checkpoints: number;
  /** When the bundle was written, ISO-8601; informational. */
  exportedAt: string;
}

export interface BundleKeys {
  /** The log's Ed25519 verifier key (`name+keyid+base64(0x01 || key)`). */
  log: string;
  /** Witness cosignature verifier keys (`name+keyid+base64(0x04 || key)`). */
  witnesses: string[];
}

export interface CheckpointRecord {
  /** The checkpoint's tree size (repeated from the note so a reader can seek without parsing). */
  size: number;
  /** The signed, cosigned checkpoint note. */
  note: string;
}

/** Parses and checks manifest.json. Throws VerificationError naming the file. */
export function parseManifest(text: string): BundleManifest {
  const value = parseJson(text, BUNDLE_FILES.manifest);
  if (typeof value.format !== 'string' || !FORMATS.includes(value.format)) {
    throw fileError(
      BUNDLE_FILES.manifest,
      `format must be "${BUNDLE_FORMAT}" or "${BUNDLE_FORMAT_V1}"`,
    );
  }
  if (typeof value.origin !== 'string' || value.origin === '') {
    throw fileError(BUNDLE_FILES.manifest, 'origin must be a non-empty string');
  }
  for (const key of ['events', 'checkpoints'] as const) {
    const n = value[key];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      throw fileError(BUNDLE_FILES.manifest, `${key} must be a non-negative integer`);
    }
  }
  if (typeof value.exportedAt !== 'string') {
    throw fileError(BUNDLE_FILES.manifest, 'exportedAt must be a string');
  }
  return value as unknown as BundleManifest;
}

/** Whether a bundle of this manifest carries leaves.bin. */
export function hasSignedLeaves(manifest: BundleManifest): boolean {
  return manifest.format !== BUNDLE_FORMAT_V1;
}

/** Parses keys.json (shape only; keys are parsed when used). Throws VerificationError. */
export function parseBundleKeys(text: string): BundleKeys {
  const value = parseJson(text, BUNDLE_FILES.keys);
  if (typeof value.log !== 'string') throw fileError(BUNDLE_FILES.keys, 'log must be a key string');
  if (!Array.isArray(value.witnesses) || !value.witnesses.every((w) => typeof w === 'string')) {
    throw fileError(BUNDLE_FILES.keys, 'witnesses must be an array of key strings');
  }
  return { log: value.log, witnesses: value.witnesses as string[] };
}

/** Parses one line of checkpoints.jsonl. `lineNumber` is 1-based, for the error. */
export function parseCheckpointRecord(line: string, lineNumber: number): CheckpointRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw checkpointLineError(lineNumber, 'not valid JSON');
  }
  const record = value as Partial<CheckpointRecord> | null;
  if (
    typeof record !== 'object' ||
    record === null ||
    typeof record.size !== 'number' ||
    !Number.isSafeInteger(record.size) ||
    record.size < 0 ||
    typeof record.note !== 'string'
  ) {
    throw checkpointLineError(lineNumber, 'expected {"size": <integer>, "note": <string>}');
  }
  return { size: record.size, note: record.note };
}

/** One checkpoints.jsonl line for a record. */
export function formatCheckpointRecord(record: CheckpointRecord): string {
  return JSON.stringify({ size: record.size, note: record.note });
}

function parseJson(text: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw fileError(file, 'not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fileError(file, 'expected a JSON object');
  }
  return value as Record<string, unknown>;
}

function fileError(file: string, reason: string): VerificationError {
  return new VerificationError({ file, reason });
}

function checkpointLineError(lineNumber: number, reason: string): VerificationError {
  return new VerificationError({ file: BUNDLE_FILES.checkpoints, lineNumber, reason });
}
