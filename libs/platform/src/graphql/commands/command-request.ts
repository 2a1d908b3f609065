import type { Actor } from '../../auth/actor.js';
import type { CommandRequest, StreamCommand } from '../../commands/command-handler.js';
import type { CommandInput } from './command.input.js';

/**
 * JSON as a domain takes it: no class instances, and a member sent as `null` is a member
 * left out (GraphQL clients send null for "not given"), except inside the members named in
 * `keepNullsIn` (a commitment correction's `corrected`), where null removes a field.
 */
function plain(value: unknown, keepNullsIn: readonly string[], keepNulls = false): unknown {
  if (Array.isArray(value)) return value.map((item) => plain(item, keepNullsIn, keepNulls));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined || (member === null && !keepNulls)) continue;
    out[key] = plain(member, keepNullsIn, keepNulls || keepNullsIn.includes(key));
  }
  return out;
}

/**
 * A mutation's input as a command request from a verified caller: its options apart, the
 * rest as the data. Precondition: `Command` is the command of type `type` with that data
 * (the decider checks the data itself).
 */
export function commandRequest<Command extends StreamCommand>(
  actor: Actor,
  type: Command['type'],
  input: CommandInput,
  options: { keepNullsIn?: readonly string[] } = {},
): CommandRequest<Command> {
  const { commandId, occurredAt, expectedVersion, ...data } = input;
  return {
    command: { type, data: plain(data, options.keepNullsIn ?? []) } as Command,
    issuer: { kind: 'caller', actor },
    commandId: commandId ?? undefined,
    occurredAt: occurredAt ?? undefined,
    expectedVersion: expectedVersion ?? undefined,
  };
}
