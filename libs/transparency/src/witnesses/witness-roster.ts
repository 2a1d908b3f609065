import { formatVerifierKey, parseWitnessKey, type VerifierKey } from '#ledger';

// The witnesses this log pushes its checkpoints to (c2sp.org/tlog-witness) and whose
// cosignatures it accepts, as the log itself records them: an administrator adds or removes
// one with an event on the `log-witnesses` stream. Pure: folding and deciding, no I/O.

export const LOG_WITNESSES_STREAM = 'log-witnesses';

/** A witness the log trusts: its name, its verifier key and where it listens. */
export interface RosterWitness {
  /** The key's name, e.g. `witness.example/w1`: one witness per name. */
  name: string;
  /** The witness's verifier key (type 0x04, cosignature/v1). */
  verifierKey: string;
  /** The submission prefix: the log POSTs to `<url>/add-checkpoint`. */
  url: string;
}

export type RosterEvent =
  | { type: 'WitnessAdded'; data: RosterWitness }
  | { type: 'WitnessRemoved'; data: { name: string; verifierKey: string } };

/** Why a change to the roster is refused: names the field and the rule it breaks. */
export class RosterRefusal extends Error {
  override readonly name = 'RosterRefusal';
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field} ${rule}`);
  }
}

/** The witnesses trusted after `events`, in the order they were added. */
export function foldRoster(events: readonly { type: string; data: unknown }[]): RosterWitness[] {
  let roster: RosterWitness[] = [];
  for (const event of events) {
    if (event.type === 'WitnessAdded') {
      const witness = event.data as RosterWitness;
      roster = [...roster.filter((w) => w.name !== witness.name), witness];
    } else if (event.type === 'WitnessRemoved') {
      const { name } = event.data as { name: string };
      roster = roster.filter((w) => w.name !== name);
    }
  }
  return roster;
}

/**
 * Adds a witness: a verifier key (type 0x04, or its Ed25519 key, type 0x01, which stands for
 * it) whose name no trusted witness has, and an http(s) URL. The key is kept as type 0x04.
 */
export function decideAddWitness(
  roster: readonly RosterWitness[],
  input: { url: string; verifierKey: string },
): RosterEvent {
  let key: VerifierKey;
  try {
    key = parseWitnessKey(input.verifierKey.trim());
  } catch (error) {
    throw new RosterRefusal(
      'verifierKey',
      `is not a witness verifier key: ${(error as Error).message}`,
    );
  }
  const url = submissionPrefix(input.url);
  if (roster.some((w) => w.name === key.name)) {
    throw new RosterRefusal(
      'verifierKey',
      `names the witness "${key.name}", which the log already trusts; remove it first to replace it`,
    );
  }
  return {
    type: 'WitnessAdded',
    data: { name: key.name, verifierKey: formatVerifierKey(key), url },
  };
}

/** Removes a trusted witness by name. */
export function decideRemoveWitness(roster: readonly RosterWitness[], name: string): RosterEvent {
  const witness = roster.find((w) => w.name === name);
  if (!witness) {
    const names = roster.map((w) => w.name).join(', ') || 'none';
    throw new RosterRefusal('name', `is not a witness this log trusts (trusted: ${names})`);
  }
  return { type: 'WitnessRemoved', data: { name, verifierKey: witness.verifierKey } };
}

/** An http or https URL without query or fragment, without its trailing slash. */
function submissionPrefix(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new RosterRefusal('url', `must be an http or https URL (got "${text}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RosterRefusal('url', `must be an http or https URL (got "${text}")`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new RosterRefusal('url', 'must have no query, fragment or credentials');
  }
  return url.toString().replace(/\/$/, '');
}
