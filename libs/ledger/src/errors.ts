/** Stable codes callers switch on; messages are for people and may change. */
export type LedgerErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_CANONICALIZABLE'
  | 'INVALID_PROOF'
  | 'ROOT_MISMATCH'
  | 'INVALID_KEY'
  | 'MALFORMED_NOTE'
  | 'INVALID_SIGNATURE'
  | 'UNVERIFIED_NOTE'
  | 'MALFORMED_CHECKPOINT'
  | 'MALFORMED_TLOG_PROOF'
  | 'INVALID_ENVELOPE'
  | 'ORIGIN_MISMATCH'
  | 'COSIGNATURE_QUORUM'
  | 'LEDGER_MISMATCH';

export class LedgerError extends Error {
  readonly code: LedgerErrorCode;

  constructor(code: LedgerErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A caller broke a documented precondition (a size out of range, a hash of the wrong length). */
export class InvalidArgumentError extends LedgerError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

/** The value is not I-JSON, so RFC 8785 gives it no canonical form. */
export class CanonicalizationError extends LedgerError {
  /** Where in the value the problem is, as a JSON-Pointer-like path (`/data/items/3`). */
  readonly path: string;

  constructor(path: string, reason: string) {
    super('NOT_CANONICALIZABLE', `cannot canonicalize ${path || '/'}: ${reason}`);
    this.path = path;
  }
}

/** A Merkle proof has the wrong shape for the sizes it claims (length, hash sizes, indices). */
export class InvalidProofError extends LedgerError {
  constructor(message: string) {
    super('INVALID_PROOF', message);
  }
}

/** A proof is well formed but leads to a different root than the one it was checked against. */
export class RootMismatchError extends LedgerError {
  readonly expected: Uint8Array;
  readonly computed: Uint8Array;

  constructor(args: { expected: Uint8Array; computed: Uint8Array; what?: string }) {
    super(
      'ROOT_MISMATCH',
      `${args.what ?? 'root'} mismatch: expected ${hex(args.expected)}, computed ${hex(args.computed)}`,
    );
    this.expected = args.expected;
    this.computed = args.computed;
  }
}

/** A signer or verifier key string is malformed, or its key hash does not match its key. */
export class InvalidKeyError extends LedgerError {
  constructor(message: string) {
    super('INVALID_KEY', message);
  }
}

/** The text is not a well-formed signed note (c2sp.org/signed-note). */
export class MalformedNoteError extends LedgerError {
  constructor(message: string) {
    super('MALFORMED_NOTE', `malformed note: ${message}`);
  }
}

/** A signature by a known key does not verify: the note (or cosignature) must be rejected. */
export class InvalidSignatureError extends LedgerError {
  readonly keyName: string;
  readonly keyId: number;

  constructor(args: { keyName: string; keyId: number }) {
    super('INVALID_SIGNATURE', `invalid signature for key ${keyLabel(args)}`);
    this.keyName = args.keyName;
    this.keyId = args.keyId;
  }
}

/** The note parsed, but no signature on it is from a known key. */
export class UnverifiedNoteError extends LedgerError {
  /** `name+keyid` of every signature found, so the caller can say which keys it lacks. */
  readonly unknownKeys: string[];

  constructor(unknownKeys: string[]) {
    super(
      'UNVERIFIED_NOTE',
      unknownKeys.length === 0
        ? 'note has no verifiable signatures'
        : `note has no verifiable signatures (signed by unknown keys ${unknownKeys.join(', ')})`,
    );
    this.unknownKeys = unknownKeys;
  }
}

/** The note text is not a c2sp.org/tlog-checkpoint body. */
export class MalformedCheckpointError extends LedgerError {
  constructor(message: string) {
    super('MALFORMED_CHECKPOINT', `malformed checkpoint: ${message}`);
  }
}

/** The text is not a c2sp.org/tlog-proof@v1 proof. */
export class MalformedTlogProofError extends LedgerError {
  constructor(message: string) {
    super('MALFORMED_TLOG_PROOF', `malformed tlog-proof: ${message}`);
  }
}

/** A value is not an event envelope of the fixed shape the ledger hashes. */
export class InvalidEnvelopeError extends LedgerError {
  readonly path: string;

  constructor(path: string, reason: string) {
    super('INVALID_ENVELOPE', `invalid event envelope at ${path || '/'}: ${reason}`);
    this.path = path;
  }
}

/** The log's origin differs from the one the caller trusts. */
export class OriginMismatchError extends LedgerError {
  readonly expected: string;
  readonly actual: string;

  constructor(args: { expected: string; actual: string }) {
    super('ORIGIN_MISMATCH', `checkpoint origin is "${args.actual}", expected "${args.expected}"`);
    this.expected = args.expected;
    this.actual = args.actual;
  }
}

/** Fewer witnesses cosigned than the caller's policy requires. */
export class CosignatureQuorumError extends LedgerError {
  readonly required: number;
  readonly found: number;

  constructor(args: { required: number; found: number }) {
    super(
      'COSIGNATURE_QUORUM',
      `checkpoint has ${args.found} valid witness cosignatures, ${args.required} required`,
    );
    this.required = args.required;
    this.found = args.found;
  }
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

function keyLabel(args: { keyName: string; keyId: number }): string {
  return `${args.keyName}+${args.keyId.toString(16).padStart(8, '0')}`;
}
