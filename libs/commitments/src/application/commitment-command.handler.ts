import type { EventStore } from '#event-store';
import {
  CommandHandler,
  type CommandHandlerOptions,
  type CommandRequest as StreamCommandRequest,
  type CommandStreamType,
  type SideWrites,
} from '#platform';
import {
  agencyIdOfInput,
  codeChange,
  codeFieldOf,
  type CommitmentCommand,
  type CommitmentEvent,
  type CommitmentState,
  type StoredCommitmentEvent,
} from '../domain/index.js';
import { CommandCodeClaims, CommitmentCodes } from './commitment-codes.js';
import { COMMITMENT_STREAM } from './commitment-stream.js';

export type { CommandIssuer, CommandResult } from '#platform';
export type CommandRequest = StreamCommandRequest<CommitmentCommand>;
export type CommitmentCommandHandlerOptions = CommandHandlerOptions;

/**
 * Runs commitment commands with the platform's generic handler (read, fold, decide, append
 * at the version read, retry, idempotent by command id).
 *
 * A command that gives the commitment a code (a registration, or a revision or correction
 * that changes it) first claims the code in the code's own stream (`CommitmentCodes`), so a
 * code held by another commitment is refused before anything is written; once the
 * commitment's stream records the new code, the old one is released.
 */
export class CommitmentCommandHandler extends CommandHandler<
  CommitmentCommand,
  CommitmentEvent,
  CommitmentState,
  StoredCommitmentEvent
> {
  constructor(store: EventStore, options: CommitmentCommandHandlerOptions = {}) {
    super(store, commitmentCommands(new CommitmentCodes(store, options.maxAttempts ?? 5)), options);
  }
}

/** The commitment's stream type as the command handler runs it. */
function commitmentCommands(
  codes: CommitmentCodes,
): CommandStreamType<CommitmentCommand, CommitmentEvent, CommitmentState, StoredCommitmentEvent> {
  return {
    ...COMMITMENT_STREAM,
    streamIdOf: (command) => String(command.data.commitmentId),
    agencyOf,
    agencyOfNew: agencyOfRegistration,
    sideWrites: codeClaims(codes),
  };
}

/** The code claims and releases a command writes to the code streams. */
function codeClaims(codes: CommitmentCodes): SideWrites<CommitmentCommand, CommitmentState> {
  return {
    start(commitmentId, command) {
      const claims = new CommandCodeClaims(codes, commitmentId);
      return {
        get appended() {
          return claims.appended;
        },
        prepare: ({ before, after }, by) =>
          claims.prepare(codeChange(before, after), codeFieldOf(command), by),
        recorded: (by) => claims.recorded(by),
        refused: () => claims.refused(),
      };
    },
    writtenBy({ streamId, commandId, before, after }) {
      const change = codeChange(before, after);
      const changed =
        change === undefined ? [] : [change.to, ...(change.from ? [change.from] : [])];
      return codes.eventsOf(changed, { commandId, commitmentId: streamId });
    },
  };
}

/** The id of the commitment's lead agency: what stewards' tokens name. */
function agencyOf(state: CommitmentState): string | undefined {
  return state.status === 'empty' ? undefined : state.leadAgency.id;
}

/** The agency a registration will record, when it can be told (decide checks the shape). */
function agencyOfRegistration(command: CommitmentCommand): string | undefined {
  return command.type === 'RegisterCommitment'
    ? agencyIdOfInput(command.data.leadAgency)
    : undefined;
}
