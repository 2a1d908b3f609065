import { createHash } from 'node:crypto';
import { canonicalize } from '#ledger';

/** What a command id may be: a UUID fits. */
export const COMMAND_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const COMMAND_ID_RULE = 'must be 1 to 128 letters, digits or . _ : - (a UUID fits)';

// A fixed namespace for Cuenta's command-derived event ids (a random UUID, chosen once).
const NAMESPACE = Buffer.from('6b1c2f0e9a5d4e7b8c3f1a2d5e6f7a8b', 'hex');

/**
 * What makes two requests "the same command": its type and data, and the business time when
 * the caller gave one. A command id sent again with a different fingerprint is a mistake by
 * the caller, not a retry.
 */
export function commandFingerprint(
  command: { type: string; data: unknown },
  occurredAt?: Date,
  /** A keyed hash for commands with personal values (PersonalDataStore.keyedFingerprint). */
  keyed?: (canonicalText: string) => string,
): string {
  const body = { type: command.type, data: command.data, occurredAt: occurredAt?.toISOString() };
  const text = canonicalize(JSON.parse(JSON.stringify(body)));
  return keyed ? keyed(text) : createHash('sha256').update(text).digest('hex');
}

/**
 * The id of the `index`-th event a command produces: a name-based UUID (RFC 9562 version 5
 * layout: SHA-1 of namespace and name) of the command id, its fingerprint and the index. A
 * retried command therefore appends the very same ids, which the event store recognises as a
 * retry and answers with the original result.
 */
export function commandEventId(commandId: string, fingerprint: string, index: number): string {
  return nameBasedId(`${commandId}\n${fingerprint}\n${index}`);
}

/**
 * The id of an event of type `type` that a command writes to a stream other than its own
 * (a commitment's code claim or release): the `ordinal`-th (from 0) of that type the command
 * writes to that stream. It depends on the command only, never on what the command read, so a
 * concurrent duplicate of the command writes the very same ids, and the event store stores
 * them once.
 */
export function sideEventId(
  commandId: string,
  fingerprint: string,
  at: { stream: string; type: string; ordinal: number },
): string {
  return nameBasedId(`${commandId}\n${fingerprint}\n${at.type}\n${at.stream}#${at.ordinal}`);
}

function nameBasedId(name: string): string {
  const bytes = createHash('sha1').update(NAMESPACE).update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
