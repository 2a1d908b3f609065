import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DuplicateEventIdError,
  EventStoreError,
  InvalidEventError,
  prepareAppend,
  VersionConflictError,
  type Actor as RecordedActor,
  type AppendResult,
  type EventStore,
  type JsonObject,
  type NewEvent,
  type RecordedEvent,
} from '#event-store';
import {
  CuentaError,
  eventActor,
  firstInputProblem,
  InvalidInputError,
  requireAgency,
  type Actor,
} from '#platform';
import { DomainError } from '#kernel';
import {
  agencyIdOfInput,
  codeChange,
  codeFieldOf,
  COMMITMENT_SCHEMA_VERSIONS,
  commitmentStream,
  decide,
  evolve,
  type CommitmentCommand,
  type CommitmentState,
} from '../domain/index.js';
import { CommandIdReusedError } from './command.errors.js';
import { CommandCodeClaims, CommitmentCodes } from './commitment-codes.js';
import {
  appendedEvent,
  foldRecorded,
  readCommitmentStream,
  type AppendedEvent,
} from './commitment-stream.js';
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
  /** Global positions of the command's events in its commitment's stream. */
  positions: number[];
  eventIds: string[];
  /**
   * Every event the command appended, in log order: its commitment's events and the code
   * claims and releases it wrote to code streams.
   */
  events: AppendedEvent[];
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
 *
 * Every event id depends on the command only (`commandEventId`, `sideEventId`), so
 * concurrent duplicates of a command (the same id and input, from retries or other processes)
 * write the same events once: the event store answers the others as retries, and they answer
 * `replayed: true` with the result the log then holds.
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
    // The API's own rule for text (no NUL, no lone surrogate...), also for commands that do
    // not come through it (`cuenta import`, the demo): the log could neither hash nor store it.
    const problem = firstInputProblem(command.data, '');
    if (problem !== undefined) throw new InvalidInputError(problem.field, problem.rule);
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
      if (earlier.length > 0) {
        return this.replayed({ commitmentId, commandId, fingerprint, recorded, earlier });
      }
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
      // The store's own checks, before the code claims: a refused command writes nothing.
      checkStorable(stream, events);
      const by = { commandId, fingerprint, metadata };
      await codes.prepare(codeChange(state, after), codeFieldOf(command), by);
      let result: AppendResult;
      try {
        result = await this.store.append(stream, events, version);
      } catch (error) {
        const again =
          attempt < this.maxAttempts &&
          // This command's events, stored by a concurrent duplicate: the next read replays them.
          (error instanceof DuplicateEventIdError ||
            (error instanceof VersionConflictError && request.expectedVersion === undefined));
        if (!again) throw error;
        // Spread the retries of commands that collided, so they do not collide again.
        if (error instanceof VersionConflictError) {
          await sleep(Math.floor(Math.random() * 10 * attempt));
        }
        continue;
      }
      // Stored already by a concurrent duplicate, where this attempt would have put them.
      if (result.replayed) continue;
      await codes.recorded(by);
      const own = events.map((event, i) => ({
        id: ids[i],
        position: result.positions[i],
        stream,
        streamVersion: version + i + 1,
        type: event.type,
      }));
      return {
        commitmentId,
        streamVersion: result.nextVersion,
        positions: result.positions,
        eventIds: ids,
        events: inLogOrder([...codes.appended, ...own]),
        replayed: false,
      };
    }
  }

  /**
   * The result of a command that already ran, rebuilt from its events: those in its
   * commitment's stream, and the claims and releases it wrote to the streams of the codes
   * those events changed.
   * @throws CommandIdReusedError when the command id ran with another command.
   */
  private async replayed(run: {
    commitmentId: string;
    commandId: string;
    fingerprint: string;
    recorded: RecordedEvent[];
    earlier: RecordedEvent[];
  }): Promise<CommandResult> {
    const { commitmentId, commandId, fingerprint, recorded, earlier } = run;
    if (earlier[0].id !== commandEventId(commandId, fingerprint, 0)) {
      throw new CommandIdReusedError(commandId);
    }
    const first = earlier[0].streamVersion;
    const last = earlier[earlier.length - 1].streamVersion;
    const before = foldRecorded(recorded.slice(0, first - 1));
    const change = codeChange(before, foldRecorded(recorded.slice(first - 1, last), before));
    const codes = change === undefined ? [] : [change.to, ...(change.from ? [change.from] : [])];
    const claims = await this.codes.eventsOf(codes, { commandId, commitmentId });
    return {
      commitmentId,
      streamVersion: last,
      positions: earlier.map((event) => event.position),
      eventIds: earlier.map((event) => event.id),
      events: inLogOrder([...claims, ...earlier.map(appendedEvent)]),
      replayed: true,
    };
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

function inLogOrder(events: AppendedEvent[]): AppendedEvent[] {
  return [...events].sort((a, b) => a.position - b.position);
}

/**
 * Runs the event store's checks of an append on the command's events, so what the log cannot
 * hold is refused before anything (a code claim) is written. Text the log refuses was refused
 * with the input already; what is left of `data` (an event too large for the log) is the
 * whole input's fault, a reason the reason's.
 * @throws InvalidInputError naming the input field.
 */
function checkStorable(stream: string, events: NewEvent[]): void {
  try {
    prepareAppend(stream, events);
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    const part = /^events\[\d+\]\.(data|metadata\.reason)$/.exec(error.field)?.[1];
    if (part === undefined) throw error;
    throw new InvalidInputError(part === 'data' ? 'input' : 'reason', error.rule);
  }
}
