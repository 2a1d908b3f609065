import type { Actor } from '#platform';
import type { CommandRequest } from '../application/commitment-command.handler.js';
import type { CommitmentCommand, CommitmentCommandType } from '../domain/index.js';
import type { CommandInput } from './dto/command.input.js';

/**
 * JSON as the domain takes it: no class instances, and a member sent as `null` is a member
 * left out (GraphQL clients send null for "not given"), except inside a correction's
 * `corrected`, where null removes a field.
 */
function plain(value: unknown, keepNulls = false): unknown {
  if (Array.isArray(value)) return value.map((item) => plain(item, keepNulls));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined || (member === null && !keepNulls)) continue;
    out[key] = plain(member, keepNulls || key === 'corrected');
  }
  return out;
}

/** A mutation's input as a command request: its options apart, the rest as the data. */
export function commandRequest(
  actor: Actor,
  type: CommitmentCommandType,
  input: CommandInput,
): CommandRequest {
  const { commandId, occurredAt, expectedVersion, ...data } = input;
  return {
    command: { type, data: plain(data) } as CommitmentCommand,
    issuer: { kind: 'caller', actor },
    commandId: commandId ?? undefined,
    occurredAt: occurredAt ?? undefined,
    expectedVersion: expectedVersion ?? undefined,
  };
}
