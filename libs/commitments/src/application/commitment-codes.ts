import {
  DuplicateEventIdError,
  VersionConflictError,
  type AppendResult,
  type EventStore,
  type JsonObject,
  type NewEventMetadata,
} from '#event-store';
import { appendedEvent, readStreamUpTo, sideEventId, type AppendedEvent } from '#platform';
import {
  claimCode,
  commitmentCodeStream,
  evolveCodeHolder,
  freeCode,
  releaseCode,
  type CodeHolder,
  type CommitmentCodeEvent,
} from '../domain/index.js';

/** A code's stream as read: who holds the code, at which stream version. */
export interface CodeStream {
  stream: string;
  version: number;
  holder: CodeHolder;
}

/**
 * A claim this command wrote, or that a concurrent duplicate of it wrote: the stream after
 * it; whether this run wrote it on a free code (`fresh`, so this run releases it if the
 * command is refused); the claim event; and the ordinal its id was made with.
 */
export interface WrittenClaim extends CodeStream {
  fresh: boolean;
  event: AppendedEvent;
  ordinal: number;
}

/** The command on whose behalf a claim or release is written (for event ids and metadata). */
export interface ClaimingCommand {
  commandId: string;
  fingerprint: string;
  metadata: NewEventMetadata;
}

/**
 * The code streams (`commitment.code-<code in lower case>`): which commitment holds each code.
 * A stream's last event says who holds the code, so reading one is one backward probe.
 */
export class CommitmentCodes {
  constructor(
    private readonly store: EventStore,
    private readonly maxAttempts = 5,
  ) {}

  async read(code: string): Promise<CodeStream> {
    const stream = commitmentCodeStream(code);
    const [last] = await this.store.readStream(stream, { direction: 'backwards', limit: 1 });
    if (last === undefined) return { stream, version: 0, holder: freeCode };
    const event = { type: last.type, data: last.data } as CommitmentCodeEvent;
    return { stream, version: last.streamVersion, holder: evolveCodeHolder(freeCode, event) };
  }

  /**
   * Records that `commitmentId` holds `code`, at the version read (`no_stream` for a new
   * code), so of two commitments claiming a free code at once exactly one gets it. Writes a
   * claim even when the commitment holds the code already: a release (below) is written at
   * the version it read, so a claim written since makes it fail rather than take away a code
   * a command is about to record.
   *
   * The claim's id is the command's `ordinal`-th claim on this code (see `sideEventId`), so a
   * concurrent duplicate of the command writes nothing new: the store answers it as a retry
   * when it read the same version, or with DuplicateEventIdError when it read after the
   * claim. In that case the claim is adopted when it is still the stream's last event, as
   * good as written now; otherwise something was written since, and the command claims
   * again with the next ordinal.
   * @throws CommitmentCodeTaken when another commitment holds the code; nothing is written.
   */
  async claim(
    claim: { code: string; commitmentId: string; field: string },
    by: ClaimingCommand,
    ordinal: number,
  ): Promise<WrittenClaim> {
    for (let attempt = 1; ; attempt++) {
      const read = await this.read(claim.code);
      const event = claimCode(read.holder, claim);
      const holder: CodeHolder = { status: 'held', ...event.data };
      const id = this.idOf(read.stream, event, by, ordinal);
      try {
        const result = await this.append(read, id, event, by);
        return {
          stream: read.stream,
          version: result.nextVersion,
          holder,
          fresh: read.holder.status === 'free' && !result.replayed,
          event: writtenEvent(read.stream, id, event.type, result),
          ordinal,
        };
      } catch (error) {
        if (attempt >= this.maxAttempts) throw error;
        if (error instanceof DuplicateEventIdError) {
          const [last] = await this.store.readStream(read.stream, {
            direction: 'backwards',
            limit: 1,
          });
          if (last?.id === id) {
            const version = last.streamVersion;
            const adopted = { stream: read.stream, version, holder, fresh: false };
            return { ...adopted, event: appendedEvent(last), ordinal };
          }
          ordinal += 1;
        } else if (!(error instanceof VersionConflictError)) {
          throw error;
        }
      }
    }
  }

  /**
   * Frees the code `read` describes if `commitmentId` held it there, provided nothing was
   * written to its stream since (otherwise another command may be relying on the claim, and
   * the code stays held). Resolves with the release event, or undefined when none was written.
   * `ordinal`: this is the command's `ordinal`-th release of the code.
   */
  async release(
    read: CodeStream,
    commitmentId: string,
    by: ClaimingCommand,
    ordinal: number,
  ): Promise<AppendedEvent | undefined> {
    const [event] = releaseCode(read.holder, commitmentId);
    if (event === undefined) return undefined;
    const id = this.idOf(read.stream, event, by, ordinal);
    try {
      return writtenEvent(read.stream, id, event.type, await this.append(read, id, event, by));
    } catch (error) {
      // Written since the read, or released already by a concurrent duplicate of the command.
      if (error instanceof VersionConflictError || error instanceof DuplicateEventIdError) {
        return undefined;
      }
      throw error;
    }
  }

  /** The claims and releases `commandId` wrote for `commitmentId` to the streams of `codes`. */
  async eventsOf(
    codes: readonly string[],
    by: { commandId: string; commitmentId: string },
  ): Promise<AppendedEvent[]> {
    const streams = [...new Set(codes.map(commitmentCodeStream))];
    const read = await Promise.all(streams.map((stream) => readStreamUpTo(this.store, stream)));
    return read
      .flat()
      .filter(
        (event) =>
          event.metadata.commandId === by.commandId && event.data.commitmentId === by.commitmentId,
      )
      .map(appendedEvent);
  }

  private idOf(
    stream: string,
    event: CommitmentCodeEvent,
    by: ClaimingCommand,
    ordinal: number,
  ): string {
    return sideEventId(by.commandId, by.fingerprint, { stream, type: event.type, ordinal });
  }

  private append(
    read: CodeStream,
    id: string,
    event: CommitmentCodeEvent,
    by: ClaimingCommand,
  ): Promise<AppendResult> {
    return this.store.append(
      read.stream,
      [{ id, type: event.type, data: event.data as unknown as JsonObject, metadata: by.metadata }],
      read.version === 0 ? 'no_stream' : read.version,
    );
  }
}

function writtenEvent(
  stream: string,
  id: string,
  type: string,
  result: AppendResult,
): AppendedEvent {
  return { id, position: result.positions[0], stream, streamVersion: result.nextVersion, type };
}

/**
 * The code claims of one run of a command on one commitment, across its attempts: before each
 * append, `prepare` claims the code the attempt gives the commitment; after the append,
 * `recorded` releases the code it replaced; if the command is refused instead, `refused`
 * releases a code it claimed while free, so a refused registration leaves the code free.
 *
 * Releases are best effort: when one cannot be written (a command wrote to the code's stream
 * since, or the database is gone) the code stays held by this commitment. That keeps codes
 * unique, and the commitment can still take the code (its own claim never stands in its way).
 */
export class CommandCodeClaims {
  /** The code this attempt's events replace, as read before the append. */
  private replaced: CodeStream | undefined;
  /** A claim on a code that was free, which no other command has written after. */
  private unused: { claim: WrittenClaim; by: ClaimingCommand } | undefined;
  /** Claims and releases this run wrote (or adopted from a duplicate), in the order written. */
  private readonly written: AppendedEvent[] = [];
  /** How many events of each type this run wrote to each code stream: their next ordinals. */
  private readonly ordinals = new Map<string, number>();

  constructor(
    private readonly codes: CommitmentCodes,
    private readonly commitmentId: string,
  ) {}

  /** The claims and releases written so far, for the command's result. */
  get appended(): readonly AppendedEvent[] {
    return this.written;
  }

  /**
   * Claims `change.to` (see `CommitmentCodes.claim`) and reads the stream of `change.from`.
   * A fresh claim of an earlier attempt that this one no longer gives the commitment (its
   * append conflicted, and the stream it then read changes no code, or another one) is
   * released first: nothing will record it, and `recorded` would otherwise leave it held.
   * @throws CommitmentCodeTaken naming `field`.
   */
  async prepare(
    change: { from?: string; to: string } | undefined,
    field: string,
    by: ClaimingCommand,
  ): Promise<void> {
    this.replaced = undefined;
    const earlier = this.unused;
    const stillWanted =
      change !== undefined && commitmentCodeStream(change.to) === earlier?.claim.stream;
    if (earlier !== undefined && !stillWanted) {
      this.unused = undefined;
      await this.releaseQuietly(earlier.claim, earlier.by);
    }
    if (change === undefined) return;
    const stream = commitmentCodeStream(change.to);
    const claim = await this.codes.claim(
      { code: change.to, commitmentId: this.commitmentId, field },
      by,
      this.ordinal(stream, 'CommitmentCodeClaimed'),
    );
    this.ordinals.set(`CommitmentCodeClaimed ${stream}`, claim.ordinal + 1);
    this.written.push(claim.event);
    const followsOurs =
      this.unused?.claim.stream === claim.stream && this.unused.claim.version === claim.version - 1;
    this.unused = claim.fresh || followsOurs ? { claim, by } : undefined;
    // Read before the append: a command that takes the old code back claims it after this
    // read, which makes the release in `recorded` fail, as it must.
    if (change.from !== undefined) this.replaced = await this.codes.read(change.from);
  }

  /** The attempt's events are recorded: the claim is used, and the replaced code is freed. */
  async recorded(by: ClaimingCommand): Promise<void> {
    this.unused = undefined;
    if (this.replaced !== undefined) await this.releaseQuietly(this.replaced, by);
  }

  /**
   * The command was refused and wrote nothing to the commitment's stream. Not to be called
   * after an error of unknown outcome (a lost connection): the events may be recorded.
   */
  async refused(): Promise<void> {
    if (this.unused !== undefined) await this.releaseQuietly(this.unused.claim, this.unused.by);
  }

  private ordinal(stream: string, type: CommitmentCodeEvent['type']): number {
    return this.ordinals.get(`${type} ${stream}`) ?? 0;
  }

  private async releaseQuietly(code: CodeStream, by: ClaimingCommand): Promise<void> {
    const ordinal = this.ordinal(code.stream, 'CommitmentCodeReleased');
    const released = await this.codes
      .release(code, this.commitmentId, by, ordinal)
      .catch(() => undefined);
    if (released === undefined) return;
    this.ordinals.set(`CommitmentCodeReleased ${code.stream}`, ordinal + 1);
    this.written.push(released);
  }
}
