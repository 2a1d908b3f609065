import {
  canonicalize,
  formatKeyId,
  InvalidSignatureError,
  leafHash,
  LedgerError,
  openCheckpoint,
  openNote,
  parseTlogProof,
  parseVerifierKey,
  parseWitnessKey,
  toBase64,
  utf8,
  verifyInclusion,
  type TlogProof,
  type VerifierKey,
} from '#ledger';

/**
 * What the verification page found, as message keys and values: the page words them in
 * Spanish or English (messages.ts). Pure: the same inputs always give the same verdict.
 */
export type Finding =
  | { key: 'event-canonicalized' }
  | { key: 'included'; index: number; size: number; root: string; leaf: string }
  | { key: 'signed-by-log'; origin: string; logKey: string }
  | { key: 'cosigned'; witness: string; time: string }
  | { key: 'no-key-for-signature'; signer: string }
  | { key: 'witness-did-not-cosign'; witness: string }
  | { key: 'not-about-content' };

export type Failure =
  | { key: 'bad-log-key'; detail: string }
  | { key: 'bad-witness-key'; line: number; detail: string }
  | { key: 'bad-proof'; detail: string }
  | { key: 'bad-event'; detail: string }
  | { key: 'not-signed-by-log'; logKey: string; detail: string }
  | { key: 'bad-checkpoint'; detail: string }
  | { key: 'bad-cosignature'; witness: string }
  | { key: 'not-included'; index: number; size: number; detail: string };

export interface Verdict {
  /** True when the event is proven in the log under the log key and every cosignature held. */
  readonly verified: boolean;
  /** What was proven. */
  readonly proven: readonly Finding[];
  /** What was not checked or not proven, without making the verdict fail. */
  readonly notProven: readonly Finding[];
  /** What failed; empty when verified. */
  readonly failures: readonly Failure[];
}

export interface VerifyInput {
  /** The c2sp.org/tlog-proof text. */
  readonly proof: string;
  /** The event: its canonical JSON (any JSON text of the same value is canonicalized). */
  readonly event: string;
  /** The log's verifier key (Go sumdb/note form). */
  readonly logKey: string;
  /** Witness verifier keys (cosignature/v1), one per entry; blank entries are ignored. */
  readonly witnessKeys: readonly string[];
}

const problem = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

const label = (key: { name: string; keyId: number }): string =>
  `${key.name}+${formatKeyId(key.keyId)}`;

/**
 * Checks a tlog-proof for an event in the browser: the log key's signature on the checkpoint,
 * the event's inclusion at the proof's index, and a cosignature by each witness key given.
 * Signatures by keys nobody gave are reported as not checked, never as proven.
 */
export function verifyProofForCitizen(input: VerifyInput): Verdict {
  const fail = (failures: Failure[], proven: Finding[] = [], notProven: Finding[] = []) => ({
    verified: false,
    proven,
    notProven,
    failures,
  });

  let logKey: VerifierKey;
  try {
    logKey = parseVerifierKey(input.logKey.trim());
  } catch (error) {
    return fail([{ key: 'bad-log-key', detail: problem(error) }]);
  }
  const witnessKeys: VerifierKey[] = [];
  const witnessFailures: Failure[] = [];
  input.witnessKeys.forEach((text, i) => {
    if (text.trim() === '') return;
    try {
      witnessKeys.push(parseWitnessKey(text.trim()));
    } catch (error) {
      witnessFailures.push({ key: 'bad-witness-key', line: i + 1, detail: problem(error) });
    }
  });
  if (witnessFailures.length > 0) return fail(witnessFailures);

  let proof: TlogProof;
  try {
    proof = parseTlogProof(input.proof.replace(/\r\n/g, '\n'));
  } catch (error) {
    return fail([{ key: 'bad-proof', detail: problem(error) }]);
  }

  const proven: Finding[] = [];
  const notProven: Finding[] = [];
  let leafBytes: Uint8Array;
  try {
    const canonical = canonicalize(JSON.parse(input.event));
    if (canonical !== input.event.replace(/\r?\n$/, '')) {
      notProven.push({ key: 'event-canonicalized' });
    }
    leafBytes = utf8(canonical);
  } catch (error) {
    return fail([{ key: 'bad-event', detail: problem(error) }]);
  }

  let checkpoint;
  try {
    checkpoint = openCheckpoint({
      note: proof.signedCheckpoint,
      origin: logKey.name,
      logKey,
    }).checkpoint;
  } catch (error) {
    const notSigned =
      error instanceof LedgerError &&
      (error.code === 'UNVERIFIED_NOTE' || error.code === 'INVALID_SIGNATURE');
    return fail([
      notSigned
        ? { key: 'not-signed-by-log', logKey: label(logKey), detail: problem(error) }
        : { key: 'bad-checkpoint', detail: problem(error) },
    ]);
  }
  proven.push({ key: 'signed-by-log', origin: checkpoint.origin, logKey: label(logKey) });

  const failures: Failure[] = [];
  const leaf = leafHash(leafBytes);
  try {
    verifyInclusion({
      index: proof.index,
      size: checkpoint.size,
      leafHash: leaf,
      proof: proof.inclusionProof,
      root: checkpoint.rootHash,
    });
    proven.unshift({
      key: 'included',
      index: proof.index,
      size: checkpoint.size,
      root: toBase64(checkpoint.rootHash),
      leaf: toBase64(leaf),
    });
  } catch (error) {
    failures.push({
      key: 'not-included',
      index: proof.index,
      size: checkpoint.size,
      detail: problem(error),
    });
  }

  const checked = new Set<string>([label(logKey)]);
  for (const witness of witnessKeys) {
    checked.add(label(witness));
    try {
      const cosigned = openNote(proof.signedCheckpoint, [witness]).verified[0];
      proven.push({
        key: 'cosigned',
        witness: label(witness),
        time: new Date((cosigned.timestamp ?? 0) * 1000).toISOString(),
      });
    } catch (error) {
      if (error instanceof InvalidSignatureError) {
        failures.push({ key: 'bad-cosignature', witness: label(witness) });
      } else {
        notProven.push({ key: 'witness-did-not-cosign', witness: label(witness) });
      }
    }
  }
  for (const line of openNote(proof.signedCheckpoint, [logKey]).unverified) {
    if (!checked.has(label(line))) {
      notProven.push({ key: 'no-key-for-signature', signer: label(line) });
    }
  }
  notProven.push({ key: 'not-about-content' });
  return { verified: failures.length === 0, proven, notProven, failures };
}
