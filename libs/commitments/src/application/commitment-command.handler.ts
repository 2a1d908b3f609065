import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  EventStoreError,
  VersionConflictError,
  type Actor as RecordedActor,
  type EventStore,
  type JsonObject,
  type NewEvent,
  type RecordedEvent,
} from '#event-store';
import { CuentaError, eventActor, InvalidInputError, requireAgency, type Actor } from '#platform';
import {
  agencyIdOfInput,
  codeChange,
  codeFieldOf,
  COMMITMENT_SCHEMA_VERSIONS,
  commitmentStream,
  decide,
  DomainError,
  evolve,
  type CommitmentCommand,
  type CommitmentState,
} from '../domain/index.js';
import { CommandIdReusedError } from './command.errors.js';
import { CommandCodeClaims, CommitmentCodes } from './commitment-codes.js';
import { foldRecorded, readCommitmentStream } from './commitment-stream.js';
import { COMMAND_ID, COMMAND_ID_RULE, commandEventId, commandFingerprint } from './event-ids.js';

/**
 * Who issues a command. A `caller` is a verified API caller: stewards are held to their
 * agencies. A `trusted` issuer is the system itself (the demo loader, `cuenta import`), whose
 * actor is recorded as given.
 */
export type CommandIssuer =
  { kind: 'caller'; actor: Actor } | { kind: 'trusted'; actor: RecordedActor };

export interface CommandRequest {
  command: CommitmentCommand;
  issuer: CommandIssuer;
  /**
   * Makes the command safe to retry: the same id with the same command returns the first
   * result and writes nothing. Absent: a fresh id, so the command runs every time.
   */
  commandId?: string;
  /** Business time: when it happened. Defaults to now; never later than now. */
  occurredAt?: Date;
  /**
   * The stream version the caller based its command on. When given, a stream that moved on
   * is reported as a VersionConflictError at once instead of being retried.
   */
  expectedVersion?: number;
  correlationId?: string;
  causationId?: string;
}

export interface CommandResult {
  commitmentId: string;
  /** The stream's version after the command: its last event's version. */
  streamVersion: number;
  /** Global positions of the command's events, which their proofs refer to. */
  positions: number[];
  eventIds: string[];
  /** True when this command id had already run: nothing new was written. */
  replayed: boolean;
}

export interface CommitmentCommandHandlerOptions {
  /** Attempts on a version conflict before it is reported (default 5). */
  maxAttempts?: number;
  /** The server clock; tests pin it. */
  now?: () => Date;
  /** How far a business time may run ahead of the server clock (default 5 minutes). */
  maxClockSkewMs?: number;
}

/**
 * Runs commitment commands: read the stream, fold it with `evolve`, `decide`, append at the
 * version that was read. A concurrent append makes the append fail with a version conflict;
 * the command is then decided again on the new state, up to `maxAttempts` times.
 *
 * A command that gives the commitment a code (a registration, or a revision or correction
 * that changes it) first claims the code in the code's own stream (`CommitmentCodes`), so a
 * code held by another commitment is refused before anything is written; once the
 * commitment's stream records the new code, the old one is released.
 */
export class CommitmentCommandHandler {
  private readonly maxAttempts: number;
  private readonly now: () => Date;
  private readonly maxClockSkewMs: number;
  private readonly codes: CommitmentCodes;

  constructor(
    private readonly store: EventStore,
    options: CommitmentCommandHandlerOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.now = options.now ?? (() => new Date());
    this.maxClockSkewMs = options.maxClockSkewMs ?? 5 * 60_000;
    this.codes = new CommitmentCodes(store, this.maxAttempts);
  }

  async handle(request: CommandRequest): Promise<CommandResult> {
    const { command } = request;
    const occurredAt = this.businessTime(request.occurredAt);
    const commandId = request.commandId ?? randomUUID();
    if (!COMMAND_ID.test(commandId)) {
      throw new InvalidInputError('commandId', COMMAND_ID_RULE);
    }
    const commitmentId = String(command.data.commitmentId);
    const fingerprint = commandFingerprint(command, request.occurredAt);
    const codes = new CommandCodeClaims(this.codes, commitmentId);
    try {
      return await this.run(request, { commitmentId, commandId, fingerprint, occurredAt, codes });
    } catch (error) {
      if (isRefusal(error)) await codes.refused();
      throw error;
    }
  }

  /** The attempts of one command, each on the stream as it then is. */
  private async run(
    request: CommandRequest,
    run: {
      commitmentId: string;
      commandId: string;
      fingerprint: string;
      occurredAt: Date;
      codes: CommandCodeClaims;
    },
  ): Promise<CommandResult> {
    const { command } = request;
    const { commitmentId, commandId, fingerprint, occurredAt, codes } = run;
    const stream = commitmentStream(commitmentId);
    for (let attempt = 1; ; attempt++) {
      const recorded = await readCommitmentStream(this.store, commitmentId);
      const version = recorded.length;
      const earlier = recorded.filter((event) => event.metadata.commandId === commandId);
      if (earlier.length > 0) return replayed(commitmentId, commandId, fingerprint, earlier);
      if (request.expectedVersion !== undefined && request.expectedVersion !== version) {
        throw new VersionConflictError(stream, request.expectedVersion, version);
      }

      const state = foldRecorded(recorded);
      this.checkAgency(request.issuer, agencyOf(state) ?? agencyOfRegistration(command));
      const decided = decide(command, state, { now: occurredAt });
      const ids = decided.map((_, i) => commandEventId(commandId, fingerprint, i));
      const after = decided.reduce<CommitmentState>(
        (s, event, i) => evolve(s, { ...event, id: ids[i] }),
        state,
      );
      const agency = agencyOf(after);
      if (agency !== agencyOf(state)) this.checkAgency(request.issuer, agency);

      const metadata = {
        actor: this.recordedActor(request.issuer, agency),
        occurredAt: occurredAt.toISOString(),
        commandId,
        ...reasonOf(command),
        ...(request.correlationId ? { correlationId: request.correlationId } : {}),
        ...(request.causationId ? { causationId: request.causationId } : {}),
      };
      const events: NewEvent[] = decided.map((event, i) => ({
        id: ids[i],
        type: event.type,
        schemaVersion: COMMITMENT_SCHEMA_VERSIONS[event.type],
        data: event.data as unknown as JsonObject,
        metadata,
      }));
      const by = { commandId, fingerprint, metadata };
      await codes.prepare(codeChange(state, after), codeFieldOf(command), by);
      try {
        const result = await this.store.append(stream, events, version);
        await codes.recorded(by);
        return {
          commitmentId,
          streamVersion: result.nextVersion,
          positions: result.positions,
          eventIds: ids,
          replayed: false,
        };
      } catch (error) {
        const retry =
          error instanceof VersionConflictError &&
          request.expectedVersion === undefined &&
          attempt < this.maxAttempts;
        if (!retry) throw error;
        // Spread the retries of commands that collided, so they do not collide again.
        await sleep(Math.floor(Math.random() * 10 * attempt));
      }
    }
  }

  private businessTime(given: Date | undefined): Date {
    const now = this.now();
    if (given === undefined) return now;
    if (!(given instanceof Date) || Number.isNaN(given.getTime())) {
      throw new InvalidInputError('occurredAt', 'must be a valid date-time');
    }
    if (given.getTime() > now.getTime() + this.maxClockSkewMs) {
      throw new InvalidInputError('occurredAt', 'must not be in the future');
    }
    return given;
  }

  /** Stewards write only for the agencies in their token (the lead agency's id). */
  private checkAgency(issuer: CommandIssuer, agency: string | undefined): void {
    if (issuer.kind === 'caller' && agency !== undefined) requireAgency(issuer.actor, agency);
  }

  private recordedActor(issuer: CommandIssuer, agency: string | undefined): RecordedActor {
    if (issuer.kind === 'trusted') return issuer.actor;
    const bound = agency !== undefined && issuer.actor.agencies.includes(agency);
    const actor = eventActor(issuer.actor, bound ? agency : undefined);
    return actor.agency === null
      ? { subject: actor.subject, role: actor.role }
      : { subject: actor.subject, role: actor.role, agency: actor.agency };
  }
}

/** An error that says the command wrote nothing to its commitment (unlike a lost connection). */
function isRefusal(error: unknown): boolean {
  return (
    error instanceof DomainError || error instanceof CuentaError || error instanceof EventStoreError
  );
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

function reasonOf(command: CommitmentCommand): { reason?: string } {
  const reason = (command.data as { reason?: unknown }).reason;
  return typeof reason === 'string' && reason.trim() !== '' ? { reason: reason.trim() } : {};
}

/** The result of a command that already ran, rebuilt from its events. */
function replayed(
  commitmentId: string,
  commandId: string,
  fingerprint: string,
  events: RecordedEvent[],
): CommandResult {
  if (events[0].id !== commandEventId(commandId, fingerprint, 0)) {
    throw new CommandIdReusedError(commandId);
  }
  return {
    commitmentId,
    streamVersion: events[events.length - 1].streamVersion,
    positions: events.map((event) => event.position),
    eventIds: events.map((event) => event.id),
    replayed: true,
  };
}
