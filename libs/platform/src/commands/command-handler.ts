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
  type NewEventMetadata,
  type RecordedEvent,
} from '#event-store';
import { DomainError } from '#kernel';
import { eventActor, type Actor } from '../auth/actor.js';
import { requireAgency } from '../auth/policies.js';
import { CuentaError } from '../errors/cuenta-error.js';
import { firstInputProblem } from '../errors/input-text.js';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import type { PersonalDataDeclaration } from '../personal-data/personal-data.js';
import type { PersonalDataStore, SealResult } from '../personal-data/personal-data.store.js';
import { CommandIdReusedError } from './command.errors.js';
import {
  appendedEvent,
  foldRecorded,
  readStreamUpTo,
  type AppendedEvent,
  type StreamType,
} from './event-stream.js';
import { COMMAND_ID, COMMAND_ID_RULE, commandEventId, commandFingerprint } from './event-ids.js';
import {
  receiptOf,
  sealEvents,
  type PersonalDataReceipt,
  type PersonalDataRequest,
} from './personal-sealing.js';

/** A command as the handler runs it: a type and its data, which the decider checks. */
export interface StreamCommand {
  type: string;
  data: object;
}

/** An event as a decider makes it. */
export interface StreamEvent {
  type: string;
  data: object;
}

/**
 * Who issues a command. A `caller` is a verified API caller: stewards are held to their
 * agencies. A `trusted` issuer is the system itself (a demo loader, `cuenta import`), whose
 * actor is recorded as given.
 */
export type CommandIssuer =
  { kind: 'caller'; actor: Actor } | { kind: 'trusted'; actor: RecordedActor };

export interface CommandRequest<Command extends StreamCommand = StreamCommand> {
  command: Command;
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
  /**
   * The personal data the command's events carry (docs/privacy.md): whose it is (absent: a
   * new pseudonymous subject) and the authorization given. Only for stream types that
   * declare personal fields.
   */
  personal?: PersonalDataRequest;
}

export interface CommandResult {
  /** The kind of stream the command was about (`commitment`). */
  streamType: string;
  /** The id of the stream the command was about (the commitment's id). */
  streamId: string;
  /** The stream's version after the command: its last event's version. */
  streamVersion: number;
  /** Global positions of the command's events in its stream. */
  positions: number[];
  eventIds: string[];
  /**
   * Every event the command appended, in log order: its stream's events and those it wrote
   * to other streams (a commitment's code claims and releases).
   */
  events: AppendedEvent[];
  /** True when this command id had already run: nothing new was written. */
  replayed: boolean;
  /**
   * Only when this run stored personal values: the author's receipt. A replay has none: its
   * secret was shown once and only a hash of it is kept.
   */
  receipt?: PersonalDataReceipt;
}

export interface CommandHandlerOptions {
  /** Attempts on a version conflict before it is reported (default 5). */
  maxAttempts?: number;
  /** The server clock; tests pin it. */
  now?: () => Date;
  /** How far a business time may run ahead of the server clock (default 5 minutes). */
  maxClockSkewMs?: number;
  /** The personal-data store; required when the stream type declares personal fields. */
  personalData?: PersonalDataStore;
}

/** The command on whose behalf events are written to other streams (for ids and metadata). */
export interface CommandStamp {
  commandId: string;
  fingerprint: string;
  metadata: NewEventMetadata;
}

/**
 * What one run of a command (across its attempts) writes to streams other than its own,
 * such as a commitment's claim on its code: `prepare` before each append (it may refuse the
 * command by throwing), `recorded` once the command's events are stored, `refused` when the
 * command wrote nothing to its stream (never after an error of unknown outcome).
 */
export interface SideWriteRun<State> {
  /** The events written so far, for the command's result. */
  readonly appended: readonly AppendedEvent[];
  prepare(change: { before: State; after: State }, by: CommandStamp): Promise<void>;
  recorded(by: CommandStamp): Promise<void>;
  refused(): Promise<void>;
}

export interface SideWrites<Command, State> {
  start(streamId: string, command: Command): SideWriteRun<State>;
  /** What a command that already ran wrote to other streams, for its replayed result. */
  writtenBy(run: {
    streamId: string;
    commandId: string;
    before: State;
    after: State;
  }): Promise<AppendedEvent[]>;
}

/** A stream type whose commands the generic handler runs. */
export interface CommandStreamType<
  Command extends StreamCommand,
  Event extends StreamEvent,
  State,
  StoredEvent extends Event,
> extends StreamType<Command, Event, State, StoredEvent> {
  /** The id of the stream the command is about. */
  streamIdOf(command: Command): string;
  /** The agency whose stewards may write the stream in `state` (none: no agency holds it). */
  agencyOf(state: State): string | undefined;
  /** The agency a command that starts a stream will record, when it can be told. */
  agencyOfNew(command: Command): string | undefined;
  /** Writes a command makes beside its own stream, if the stream type has any. */
  readonly sideWrites?: SideWrites<Command, State>;
  /**
   * Which members of its events are personal (a context's `personalData`): the handler
   * seals them into the personal-data store before the append, and the log holds only
   * placeholders. The decider sees the real values.
   */
  readonly personalData?: PersonalDataDeclaration;
}

/**
 * Runs the commands of one stream type: read the stream, fold it with `evolve`, `decide`
 * with the business time passed in, append at the version that was read. A concurrent append
 * makes the append fail with a version conflict; the command is then decided again on the
 * new state, up to `maxAttempts` times.
 *
 * Every event id depends on the command only (`commandEventId`, `sideEventId`), so
 * concurrent duplicates of a command (the same id and input, from retries or other processes)
 * write the same events once: the event store answers the others as retries, and they answer
 * `replayed: true` with the result the log then holds. A command id that ran with another
 * command is refused (CommandIdReusedError). The actor recorded is the verified caller's
 * (bound to the stream's agency when the caller's token names it), or a trusted issuer's.
 */
export class CommandHandler<
  Command extends StreamCommand,
  Event extends StreamEvent,
  State,
  StoredEvent extends Event,
> {
  private readonly maxAttempts: number;
  private readonly now: () => Date;
  private readonly maxClockSkewMs: number;
  private readonly personalData: PersonalDataStore | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly streamType: CommandStreamType<Command, Event, State, StoredEvent>,
    options: CommandHandlerOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.now = options.now ?? (() => new Date());
    this.maxClockSkewMs = options.maxClockSkewMs ?? 5 * 60_000;
    this.personalData = options.personalData;
    if (streamType.personalData !== undefined && this.personalData === undefined) {
      throw new Error(
        `the ${streamType.name} stream declares personal data: its command handler needs the ` +
          'personal-data store (PersonalDataModule)',
      );
    }
  }

  async handle(request: CommandRequest<Command>): Promise<CommandResult> {
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
    const streamId = this.streamType.streamIdOf(command);
    // Event ids derive from the fingerprint: keyed when the command may carry personal values.
    const keyed =
      this.streamType.personalData !== undefined
        ? (text: string) => (this.personalData as PersonalDataStore).keyedFingerprint(text)
        : undefined;
    const fingerprint = commandFingerprint(command, request.occurredAt, keyed);
    const side = this.streamType.sideWrites?.start(streamId, command);
    try {
      return await this.run(request, { streamId, commandId, fingerprint, occurredAt, side });
    } catch (error) {
      if (isRefusal(error)) await side?.refused();
      throw error;
    }
  }

  /** The attempts of one command, each on the stream as it then is. */
  private async run(
    request: CommandRequest<Command>,
    run: {
      streamId: string;
      commandId: string;
      fingerprint: string;
      occurredAt: Date;
      side: SideWriteRun<State> | undefined;
    },
  ): Promise<CommandResult> {
    const { command } = request;
    const { streamId, commandId, fingerprint, occurredAt, side } = run;
    const { decider, agencyOf } = this.streamType;
    const stream = this.streamType.streamOf(streamId);
    for (let attempt = 1; ; attempt++) {
      const recorded = await readStreamUpTo(this.store, stream);
      const version = recorded.length;
      const earlier = recorded.filter((event) => event.metadata.commandId === commandId);
      if (earlier.length > 0) {
        return this.replayed({ streamId, commandId, fingerprint, recorded, earlier });
      }
      if (request.expectedVersion !== undefined && request.expectedVersion !== version) {
        throw new VersionConflictError(stream, request.expectedVersion, version);
      }

      const state = foldRecorded(this.streamType, recorded);
      this.checkAgency(request.issuer, agencyOf(state) ?? this.streamType.agencyOfNew(command));
      const decided = decider.decide(command, state, { now: occurredAt });
      const ids = decided.map((_, i) => commandEventId(commandId, fingerprint, i));
      const after = decided.reduce<State>(
        (s, event, i) => decider.evolve(s, { ...event, id: ids[i] } as unknown as StoredEvent),
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
      const decidedEvents: NewEvent[] = decided.map((event, i) => ({
        id: ids[i],
        type: event.type,
        schemaVersion: this.streamType.schemaVersions[event.type],
        data: event.data as unknown as JsonObject,
        metadata,
      }));
      // Personal values into their store first: the events keep only placeholders.
      const { events, sealed } = await sealEvents(
        this.personalData,
        this.streamType.personalData,
        decidedEvents,
        request.personal,
      );
      const by = { commandId, fingerprint, metadata };
      let result: AppendResult;
      try {
        // The store's own checks, before any side write: a refused command writes nothing.
        checkStorable(stream, events);
        await side?.prepare({ before: state, after }, by);
        result = await this.store.append(stream, events, version);
      } catch (error) {
        // Unless the outcome is unknown (the events may be in), the sealed values go.
        if (isRefusal(error)) await this.discard(sealed);
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
      if (result.replayed) {
        await this.discard(sealed);
        continue;
      }
      await side?.recorded(by);
      const own = events.map((event, i) => ({
        id: ids[i],
        position: result.positions[i],
        stream,
        streamVersion: version + i + 1,
        type: event.type,
      }));
      return {
        streamType: this.streamType.name,
        streamId,
        streamVersion: result.nextVersion,
        positions: result.positions,
        eventIds: ids,
        events: inLogOrder([...(side?.appended ?? []), ...own]),
        replayed: false,
        ...(sealed ? { receipt: receiptOf(sealed, own) } : {}),
      };
    }
  }

  /**
   * The result of a command that already ran, rebuilt from its events: those in its stream,
   * and those it wrote to other streams.
   * @throws CommandIdReusedError when the command id ran with another command.
   */
  private async replayed(run: {
    streamId: string;
    commandId: string;
    fingerprint: string;
    recorded: RecordedEvent[];
    earlier: RecordedEvent[];
  }): Promise<CommandResult> {
    const { streamId, commandId, fingerprint, recorded, earlier } = run;
    if (earlier[0].id !== commandEventId(commandId, fingerprint, 0)) {
      throw new CommandIdReusedError(commandId, this.streamType.name);
    }
    const first = earlier[0].streamVersion;
    const last = earlier[earlier.length - 1].streamVersion;
    let sideEvents: AppendedEvent[] = [];
    const { sideWrites } = this.streamType;
    if (sideWrites !== undefined) {
      const before = foldRecorded(this.streamType, recorded.slice(0, first - 1));
      const after = foldRecorded(this.streamType, recorded.slice(first - 1, last), before);
      sideEvents = await sideWrites.writtenBy({ streamId, commandId, before, after });
    }
    return {
      streamType: this.streamType.name,
      streamId,
      streamVersion: last,
      positions: earlier.map((event) => event.position),
      eventIds: earlier.map((event) => event.id),
      events: inLogOrder([...sideEvents, ...earlier.map(appendedEvent)]),
      replayed: true,
    };
  }

  private async discard(sealed: SealResult | undefined): Promise<void> {
    if (sealed !== undefined) await this.personalData?.discard(sealed);
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

  /** Stewards write only for the agencies in their token. */
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

/** An error that says the command wrote nothing to its stream (unlike a lost connection). */
function isRefusal(error: unknown): boolean {
  return (
    error instanceof DomainError || error instanceof CuentaError || error instanceof EventStoreError
  );
}

function reasonOf(command: StreamCommand): { reason?: string } {
  const reason = (command.data as { reason?: unknown }).reason;
  return typeof reason === 'string' && reason.trim() !== '' ? { reason: reason.trim() } : {};
}

function inLogOrder(events: AppendedEvent[]): AppendedEvent[] {
  return [...events].sort((a, b) => a.position - b.position);
}

/**
 * Runs the event store's checks of an append on the command's events, so what the log cannot
 * hold is refused before anything (a side write) is written. Text the log refuses was refused
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
