import type { EventStore, RecordedEvent } from '#event-store';
import {
  foldRecorded,
  readStreamUpTo,
  toDomainEvent,
  type FoldingStreamType,
} from './event-stream.js';

/**
 * Which past to show. `asOf`: the events whose business time (occurredAt) is at or before
 * it; `knownAt`: those recorded (recordedAt) at or before it; `atVersion`: those up to that
 * stream version. Given together, an event must meet all of them: `asOf` A with `knownAt` K
 * is what the public record said on K about the stream on A.
 */
export interface TimeTravel {
  asOf?: Date;
  knownAt?: Date;
  atVersion?: number;
}

/** A stream folded as of a time travel, with what it is made of. */
export interface StreamSnapshot<State> {
  state: State;
  /** The events folded, in stream order. */
  events: RecordedEvent[];
  /** The highest stream version folded (0 when none). */
  version: number;
  /** The stream's version now. */
  latestVersion: number;
  /**
   * Changes about the time shown (business time at or before `asOf`, or any time without it)
   * that were recorded after the record date shown (`knownAt`, else `asOf`): retroactive
   * changes. With `knownAt` they are left out of the fold; with `asOf` alone they are in it.
   */
  recordedLater: number;
}

/**
 * One change of a stream's history: the event and the states before and after it. What it
 * changed is for the reader to work out, in the shape its clients read (a GraphQL mapper
 * diffs the state as the API shows it, with the kernel's `diffFields`).
 */
export interface HistoryEntry<State> {
  event: RecordedEvent;
  before: State;
  after: State;
}

/** One entry of a history page: the states around it may still have to be read from the log. */
export interface HistoryPageEntry<State> {
  event: RecordedEvent;
  /** Read when first asked for: a page that does not show the changes does not read them. */
  readonly states: HistoryEntry<State> | Promise<HistoryEntry<State>>;
}

/** A page of a stream's history, newest first. */
export interface HistoryPage<State> {
  entries: HistoryPageEntry<State>[];
  /** Older entries follow the page. */
  hasNextPage: boolean;
  /** How many entries the whole history has; worked out only when called. */
  totalCount(): number | Promise<number>;
}

const time = (iso: string) => new Date(iso).getTime();

/** Folds the events `travel` selects with the stream type's evolve. Pure. */
export function snapshotOf<State>(
  streamType: FoldingStreamType<State, unknown>,
  events: readonly RecordedEvent[],
  travel: TimeTravel,
): StreamSnapshot<State> {
  const asOf = travel.asOf?.getTime();
  const knownAt = travel.knownAt?.getTime();
  const about = (e: RecordedEvent) => asOf === undefined || time(e.metadata.occurredAt) <= asOf;
  const known = (e: RecordedEvent) =>
    knownAt === undefined || time(e.metadata.recordedAt) <= knownAt;
  const upTo = (e: RecordedEvent) =>
    travel.atVersion === undefined || e.streamVersion <= travel.atVersion;
  const folded = events.filter((e) => about(e) && known(e) && upTo(e));
  const state = foldRecorded(streamType, folded);
  const recordDate = knownAt ?? asOf;
  const recordedLater =
    recordDate === undefined
      ? 0
      : events.filter((e) => about(e) && upTo(e) && time(e.metadata.recordedAt) > recordDate)
          .length;
  return {
    state,
    events: folded,
    version: folded.length === 0 ? 0 : folded[folded.length - 1].streamVersion,
    latestVersion: events.length === 0 ? 0 : events[events.length - 1].streamVersion,
    recordedLater,
  };
}

/** Each event with the states before and after it, oldest first. */
export function historyOf<State>(
  streamType: FoldingStreamType<State, unknown>,
  events: readonly RecordedEvent[],
): HistoryEntry<State>[] {
  let state = streamType.decider.initialState;
  return events.map((event) => {
    const before = state;
    state = streamType.decider.evolve(before, toDomainEvent(streamType, event));
    return { event, before, after: state };
  });
}

/**
 * The page of `history` (oldest first, as `historyOf` gives it) that holds its newest `first`
 * entries older than stream version `before` (without it, the newest of all), newest first.
 * Pure.
 */
export function pageOfHistory<State>(
  history: readonly HistoryEntry<State>[],
  first: number,
  before?: number,
): HistoryPage<State> {
  const older =
    before === undefined ? history : history.filter((e) => e.event.streamVersion < before);
  const newest = older.slice(Math.max(0, older.length - first - 1)).reverse();
  return {
    entries: newest.slice(0, first).map((entry) => ({ event: entry.event, states: entry })),
    hasNextPage: newest.length > first,
    totalCount: () => history.length,
  };
}

/**
 * Reads the streams of one stream type from the log: time travel and history need no read
 * model.
 */
export class StreamTimeline<State> {
  constructor(
    private readonly store: EventStore,
    private readonly streamType: FoldingStreamType<State, unknown> & {
      streamOf(streamId: string): string;
    },
  ) {}

  /** Every event of the stream, oldest first (streams are short: tens to hundreds). */
  events(streamId: string): Promise<RecordedEvent[]> {
    return readStreamUpTo(this.store, this.streamType.streamOf(streamId));
  }

  /** Up to `limit` of the newest events, newest first; with `before`, older than that version. */
  private newest(streamId: string, limit: number, before?: number): Promise<RecordedEvent[]> {
    if (before !== undefined && before <= 1) return Promise.resolve([]);
    return this.store.readStream(this.streamType.streamOf(streamId), {
      direction: 'backwards',
      fromVersion: before === undefined ? undefined : before - 1,
      limit,
    });
  }

  /**
   * A page of the stream's history up to stream version `version` (without it, as the log
   * now has it): its newest `first` entries older than stream version `before` (without it,
   * the newest of all), newest first. Reads only the page's events (and one more, to tell
   * whether another page follows). The states around each entry fold the stream up to the
   * page's newest event, read once for the page when an entry's states are first asked for,
   * so they hold whatever was appended since. The total is `version` when given (a stream has
   * no gaps); else, after a cursor, the stream's last event is read for it when asked for.
   *
   * With `version`, the page agrees with a view of the stream at that version (a read model's
   * row): events appended after it are not shown, however soon the page is read.
   */
  async historyPage(page: {
    streamId: string;
    first: number;
    before?: number;
    version?: number;
  }): Promise<HistoryPage<State>> {
    const { streamId, first, version } = page;
    const before =
      version === undefined ? page.before : Math.min(page.before ?? Infinity, version + 1);
    const stream = this.streamType.streamOf(streamId);
    const newest = await this.newest(streamId, first + 1, before);
    const top = newest[0]?.streamVersion ?? 0;
    let upToPage: Promise<HistoryEntry<State>[]> | undefined;
    // Versions 1 to `top`, in order (a stream has no gaps): version v is at index v - 1.
    const history = () =>
      (upToPage ??= readStreamUpTo(this.store, stream, top).then((events) =>
        historyOf(this.streamType, events),
      ));
    const latest = async () => (await this.newest(streamId, 1))[0]?.streamVersion ?? 0;
    return {
      entries: newest.slice(0, first).map((event) => ({
        event,
        get states() {
          return history().then((entries) => entries[event.streamVersion - 1]);
        },
      })),
      hasNextPage: newest.length > first,
      totalCount: () => version ?? (before === undefined ? top : latest()),
    };
  }

  async snapshot(streamId: string, travel: TimeTravel = {}): Promise<StreamSnapshot<State>> {
    return snapshotOf(this.streamType, await this.events(streamId), travel);
  }
}
