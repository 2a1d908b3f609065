import type { EventEnvelope } from '#ledger';

export type { EventEnvelope };
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * What the stream must look like for an append to go ahead: `any`; `no_stream` (no event
 * yet); `stream_exists` (at least one event); or the exact current version, where version n
 * means the stream holds n events (so 0 is the same as `no_stream`).
 */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | number;

export interface Actor {
  subject: string;
  role: string;
  agency?: string;
}

export interface NewEventMetadata {
  actor: Actor | null;
  /** Business time; defaults to the time the event is recorded. */
  occurredAt?: Date | string;
  reason?: string;
  correlationId?: string;
  causationId?: string;
  commandId?: string;
}

export interface NewEvent {
  /** A UUID chosen by the caller makes retries idempotent; one is generated when absent. */
  id?: string;
  type: string;
  /** The version of `data`'s shape; defaults to 1. */
  schemaVersion?: number;
  data: JsonObject;
  metadata: NewEventMetadata;
}

/** A stored event, exactly as the ledger hashes it (see `leafBytesOf` in #ledger). */
export type RecordedEvent = EventEnvelope;

export interface AppendResult {
  stream: string;
  /** The stream's version after the append (the last event's stream version). */
  nextVersion: number;
  /** Global positions of the appended events, in order. */
  positions: number[];
  /**
   * True when every event was already stored where this append would put them (a retry,
   * perhaps by another process): the result is the original's, and nothing was written.
   */
  replayed: boolean;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** First stream version to return (inclusive); defaults to the start or the end. */
  fromVersion?: number;
  limit?: number;
}

export interface EventFilter {
  streams?: string[];
  /** Streams whose id starts with this, e.g. `commitment-`. */
  streamPrefix?: string;
  types?: string[];
}

export interface ReadAllOptions {
  /** First global position to return (inclusive); positions start at 0. */
  from?: number;
  limit?: number;
  filter?: EventFilter;
  /** Return events as stored, without upcasting (for export and verification). */
  raw?: boolean;
}

export interface SubscribeOptions {
  /** First global position to deliver (inclusive): a checkpoint is "last seen + 1". */
  from: number;
  filter?: EventFilter;
  /** Events fetched per read while catching up. */
  batchSize?: number;
  /** Deliver events as stored, without upcasting (as ReadAllOptions.raw). */
  raw?: boolean;
}

/**
 * Events from a position onwards: first those already stored, then new ones as they are
 * committed. Pull-based: nothing is read until the consumer asks for the next event, so a
 * slow consumer holds back only its own reads (back-pressure).
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  /** Position of the next event this subscription would deliver. */
  readonly position: number;
  close(): Promise<void>;
}

export interface EventStore {
  append(stream: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribe(options: SubscribeOptions): Subscription;
  /** Number of events in the log, i.e. the next global position. */
  head(): Promise<number>;
  close(): Promise<void>;
}
