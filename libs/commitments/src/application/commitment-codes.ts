import {
  VersionConflictError,
  type EventStore,
  type JsonObject,
  type NewEventMetadata,
} from '#event-store';
import {
  claimCode,
  commitmentCodeStream,
  evolveCodeHolder,
  freeCode,
  releaseCode,
  type CodeHolder,
  type CommitmentCodeEvent,
} from '../domain/index.js';
import { sideEventId } from './event-ids.js';

/** A code's stream as read: who holds the code, at which stream version. */
export interface CodeStream {
  stream: string;
  version: number;
  holder: CodeHolder;
}

/** A claim this command wrote: the stream after it, and whether the code was free before. */
export interface WrittenClaim extends CodeStream {
  fresh: boolean;
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
   * @throws CommitmentCodeTaken when another commitment holds the code; nothing is written.
   */
  async claim(
    claim: { code: string; commitmentId: string; field: string },
    by: ClaimingCommand,
  ): Promise<WrittenClaim> {
    for (let attempt = 1; ; attempt++) {
      const read = await this.read(claim.code);
      const event = claimCode(read.holder, claim);
      try {
        await this.append(read, event, by);
        return {
          stream: read.stream,
          version: read.version + 1,
          holder: { status: 'held', ...event.data },
          fresh: read.holder.status === 'free',
        };
      } catch (error) {
        if (!(error instanceof VersionConflictError) || attempt >= this.maxAttempts) throw error;
      }
    }
  }

  /**
   * Frees the code `read` describes if `commitmentId` held it there, provided nothing was
   * written to its stream since (otherwise another command may be relying on the claim, and
   * the code stays held). Resolves with whether it was released.
   */
  async release(read: CodeStream, commitmentId: string, by: ClaimingCommand): Promise<boolean> {
    const [event] = releaseCode(read.holder, commitmentId);
    if (event === undefined) return false;
    try {
      await this.append(read, event, by);
      return true;
    } catch (error) {
      if (error instanceof VersionConflictError) return false;
      throw error;
    }
  }

  private async append(read: CodeStream, event: CommitmentCodeEvent, by: ClaimingCommand) {
    await this.store.append(
      read.stream,
      [
        {
          id: sideEventId(by.commandId, by.fingerprint, {
            stream: read.stream,
            version: read.version,
            type: event.type,
          }),
          type: event.type,
          data: event.data as unknown as JsonObject,
          metadata: by.metadata,
        },
      ],
      read.version === 0 ? 'no_stream' : read.version,
    );
  }
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

  constructor(
    private readonly codes: CommitmentCodes,
    private readonly commitmentId: string,
  ) {}

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
    const claim = await this.codes.claim(
      { code: change.to, commitmentId: this.commitmentId, field },
      by,
    );
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

  private async releaseQuietly(code: CodeStream, by: ClaimingCommand): Promise<void> {
    await this.codes.release(code, this.commitmentId, by).catch(() => false);
  }
}
