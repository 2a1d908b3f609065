import { fromBase64, toBase64 } from '../encoding/base64.js';
import { InvalidArgumentError, LedgerError, RootMismatchError } from '../errors.js';
import { emptyRoot } from '../merkle/hash.js';
import { verifyConsistency } from '../merkle/verify.js';

// The witness protocol's rules (c2sp.org/tlog-witness, in the terms of a witness that keeps
// the largest checkpoint it cosigned): a log never shrinks, one size has one root, and a new
// checkpoint is cosigned only once a consistency proof shows it extends the one cosigned last.
// No I/O here: the caller fetches, proves and remembers.

/** The checkpoint a witness cosigned last, as it remembers it. */
export interface CosignedCheckpoint {
  size: number;
  /** Base64 RFC 9162 root of the tree of `size` events. */
  rootHash: string;
  /** When the witness cosigned it, ISO-8601. */
  cosignedAt: string;
}

/** The log's latest checkpoint, as its signature vouches for it. */
export interface ServedCheckpoint {
  size: number;
  rootHash: Uint8Array;
}

/** What a witness does next with the checkpoint the log serves. */
export type WitnessStep =
  /** The same tree it cosigned already. */
  | { step: 'nothing-new' }
  /** A larger tree: cosign it once a proof from `fromSize` (0 at first contact) checks out. */
  | { step: 'check-consistency'; fromSize: number; fromRoot: Uint8Array }
  /** A rewritten history (smaller, or another root at the same size): never cosign it. */
  | { step: 'refuse'; reason: string };

/** Decides what to do with `served`, given the checkpoint cosigned last (none at first contact). */
export function nextWitnessStep(
  cosigned: CosignedCheckpoint | undefined,
  served: ServedCheckpoint,
): WitnessStep {
  const { size, rootHash } = served;
  if (!cosigned) return { step: 'check-consistency', fromSize: 0, fromRoot: emptyRoot() };
  if (size < cosigned.size) {
    return {
      step: 'refuse',
      reason:
        `the log's latest checkpoint has size ${count(size)}, smaller than the size ` +
        `${count(cosigned.size)} this witness cosigned at ${cosigned.cosignedAt}: a log never shrinks`,
    };
  }
  if (size === cosigned.size) {
    if (toBase64(rootHash) === cosigned.rootHash) return { step: 'nothing-new' };
    return {
      step: 'refuse',
      reason:
        `the log signed two different trees of size ${count(size)}: root ${toBase64(rootHash)} ` +
        `now, ${cosigned.rootHash} when this witness cosigned it (a fork)`,
    };
  }
  return {
    step: 'check-consistency',
    fromSize: cosigned.size,
    fromRoot: fromBase64(cosigned.rootHash) ?? emptyRoot(),
  };
}

/**
 * Whether `proof` shows that `served` extends the tree cosigned last; if not, why the witness
 * must refuse. At first contact (nothing cosigned) there is no history to rewrite: a proof
 * that does not check out is thrown as the LedgerError it is.
 */
export function checkGrowth(args: {
  cosigned: CosignedCheckpoint | undefined;
  from: { size: number; root: Uint8Array };
  served: ServedCheckpoint;
  proof: readonly Uint8Array[];
}): { consistent: true } | { consistent: false; reason: string } {
  const { cosigned, from, served } = args;
  try {
    verifyConsistency(
      {
        size1: from.size,
        size2: served.size,
        proof: [...args.proof],
        root1: from.root,
        root2: served.rootHash,
      },
      { allowEmptyOldTree: true },
    );
    return { consistent: true };
  } catch (error) {
    if (!(error instanceof LedgerError) || !cosigned) throw error;
    return {
      consistent: false,
      reason:
        `the log's checkpoint of size ${count(served.size)} is not consistent with the checkpoint of ` +
        `size ${count(cosigned.size)} this witness cosigned: ${inconsistency(error)}; its history ` +
        'was rewritten',
    };
  }
}

/** The consistency proof's hashes as the log sent them (base64), each 32 bytes. */
export function decodeProofHashes(hashes: readonly string[]): Uint8Array[] {
  return hashes.map((text) => {
    const hash = fromBase64(text);
    if (hash === undefined || hash.length !== 32) {
      throw new InvalidArgumentError(
        'the log sent a consistency proof hash that is not base64 of 32 bytes',
      );
    }
    return hash;
  });
}

function inconsistency(error: LedgerError): string {
  return error instanceof RootMismatchError
    ? 'the consistency proof it served does not lead from the root cosigned then to the root it signs now'
    : `the consistency proof it served is malformed (${error.message})`;
}

/** Thousands separators, as people read counts. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}
