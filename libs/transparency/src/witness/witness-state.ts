import { readFile } from 'node:fs/promises';
import { fromBase64, parseVerifierKey } from '#ledger';
import { writeFileAtomically } from '../support/atomic-file.js';
import { TransparencyError } from '../support/errors.js';
import { fileProblem, messageOf } from '../support/text.js';

export const WITNESS_STATE_FORMAT = 'cuenta.witness-state/v1';

/**
 * What a witness remembers about one log between runs: the largest checkpoint it cosigned.
 * Stored as JSON; `checkpoint` is the signed note as the log served it, kept as evidence.
 */
export interface WitnessState {
  format: typeof WITNESS_STATE_FORMAT;
  origin: string;
  /** The log's verifier key, pinned at first contact. */
  logKey: string;
  size: number;
  /** Base64 RFC 9162 root of the tree of `size` events. */
  rootHash: string;
  checkpoint: string;
  /** When this witness cosigned it, ISO-8601. */
  cosignedAt: string;
}

/** The state in `file`, or undefined when the file is missing or empty (first contact). */
export async function readWitnessState(file: string): Promise<WitnessState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TransparencyError(`the state file ${file} ${fileProblem(error)}`);
  }
  if (text.trim() === '') return undefined;
  try {
    return parseWitnessState(text);
  } catch (error) {
    throw new TransparencyError(
      `the state file ${file} is not a witness state: ${messageOf(error)}`,
    );
  }
}

export function parseWitnessState(text: string): WitnessState {
  const value = JSON.parse(text) as Partial<WitnessState> | null;
  if (typeof value !== 'object' || value === null) throw new Error('expected a JSON object');
  if (value.format !== WITNESS_STATE_FORMAT) {
    throw new Error(`format must be "${WITNESS_STATE_FORMAT}"`);
  }
  for (const key of ['origin', 'logKey', 'rootHash', 'checkpoint', 'cosignedAt'] as const) {
    if (typeof value[key] !== 'string') throw new Error(`${key} must be a string`);
  }
  if (typeof value.size !== 'number' || !Number.isSafeInteger(value.size) || value.size < 0) {
    throw new Error('size must be a non-negative integer');
  }
  if (fromBase64(value.rootHash as string)?.length !== 32) {
    throw new Error('rootHash must be base64 of 32 bytes');
  }
  const key = parseVerifierKey(value.logKey as string);
  if (key.name !== value.origin) throw new Error('logKey must be named after origin');
  return value as WitnessState;
}

/**
 * Replaces the state atomically (writeFileAtomically): a crash leaves the old state or the new
 * one, never half of either.
 */
export async function writeWitnessState(file: string, state: WitnessState): Promise<void> {
  try {
    await writeFileAtomically(file, `${JSON.stringify(state, null, 2)}\n`);
  } catch (error) {
    throw new TransparencyError(
      `cosigned and submitted, but the state file ${file} could not be written: ${messageOf(error)}`,
    );
  }
}
