import type { RecordedEvent } from '#event-store';
import type { FieldChange } from '#kernel';
import type { FoldingStreamType } from '../commands/event-stream.js';

/** One line about an event, for people: in Spanish and in English. */
export interface EventSummary {
  es: string;
  en: string;
}

/** How a kind of stream folds, and what each of its events changed. */
export interface StreamState<State = unknown> {
  readonly streamType: FoldingStreamType<State, unknown>;
  /** What an event changed, as JSON Pointers into the state as the API shows it. Pure. */
  changes(before: State, after: State): FieldChange[];
}

/**
 * A kind of stream a context keeps, as a reader of the whole log sees it: which streams are
 * its own and, when the API shows their state, how they fold (the same pure `evolve` as their
 * history) so that each event's diff can be shown.
 */
export interface DescribedStream<State = unknown> {
  /** Every stream of this kind, and no other, starts with it: `commitment-`. */
  readonly prefix: string;
  /** The kind's name, as command results give it: `commitment`. */
  readonly name: string;
  /** Absent for a kind whose state the API does not show (its events get no diff). */
  readonly state?: StreamState<State>;
}

/**
 * How a context describes its events to readers of the whole log (the audit log): a one-line
 * summary of each, and its stream kinds, whose state shows what each event changed.
 */
export interface ContextEventDescriptions {
  /** Its stream kinds: the streams it writes, and the ones with state to diff. */
  readonly streams: readonly DescribedStream[];
  /**
   * One line about one of its events, naming what it is about; undefined for an event it
   * does not know. Pure. Precondition: the event is upcast to its current shape.
   */
  summarize(event: RecordedEvent): EventSummary | undefined;
}

/**
 * Every context's descriptions together: pure, and knows no context by name. An event no
 * context describes still gets a summary, from its type and stream.
 */
export class EventDescriptions {
  private readonly byContext: ReadonlyMap<string, ContextEventDescriptions>;
  private readonly streams: { context: string; stream: DescribedStream }[];

  constructor(contexts: readonly { name: string; eventDescriptions?: ContextEventDescriptions }[]) {
    this.byContext = new Map(
      contexts.flatMap((context) =>
        context.eventDescriptions ? [[context.name, context.eventDescriptions] as const] : [],
      ),
    );
    // Longest prefix first, so that a prefix inside another never shadows it.
    this.streams = [...this.byContext]
      .flatMap(([context, described]) => described.streams.map((stream) => ({ context, stream })))
      .sort((a, b) => b.stream.prefix.length - a.stream.prefix.length);
  }

  /** The names of the contexts that describe their events. */
  contexts(): string[] {
    return [...this.byContext.keys()];
  }

  /** The stream prefixes of a context; undefined for a context that describes nothing. */
  prefixesOf(context: string): string[] | undefined {
    return this.byContext.get(context)?.streams.map((stream) => stream.prefix);
  }

  /** The described kind of a stream, if any context keeps it. */
  streamOf(stream: string): DescribedStream | undefined {
    return this.streams.find((entry) => stream.startsWith(entry.stream.prefix))?.stream;
  }

  /** The context that keeps a stream, if any describes it. */
  contextOf(stream: string): string | undefined {
    return this.streams.find((entry) => stream.startsWith(entry.stream.prefix))?.context;
  }

  /** One line about any event: its context's, else one made from its type and stream. */
  summarize(event: RecordedEvent): EventSummary {
    const context = this.contextOf(event.stream);
    const described = context === undefined ? undefined : this.byContext.get(context);
    const own = described?.summarize(event);
    if (own) return own;
    for (const other of this.byContext.values()) {
      if (other === described) continue;
      const summary = other.summarize(event);
      if (summary) return summary;
    }
    return {
      es: `${event.type} en ${event.stream}`,
      en: `${event.type} on ${event.stream}`,
    };
  }
}
