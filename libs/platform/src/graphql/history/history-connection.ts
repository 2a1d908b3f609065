import { eventActorFrom } from '../events/event.mapper.js';
import type { FieldChange } from '#kernel';
import type {
  HistoryEntry,
  HistoryPage,
  HistoryPageEntry,
} from '../../commands/stream-timeline.js';
import { historyCursor } from '../pagination/cursors.js';
import { pageInfoOf } from '../pagination/page-info.model.js';
import type { HistoryConnectionModel, HistoryEntryModel } from './history.model.js';

/**
 * A page of a stream's history as a Relay connection; `before` is the version its cursor
 * named. `changesOf` says what an entry changed, in the shape the API shows the stream
 * (the kernel's `diffFields` of the two states as read).
 */
export function historyConnectionOf<State>(
  page: HistoryPage<State>,
  before: number | undefined,
  changesOf: (entry: HistoryEntry<State>) => FieldChange[],
): HistoryConnectionModel {
  const edges = page.entries.map((entry) => ({
    cursor: historyCursor(entry.event.streamVersion),
    node: historyEntryOf(entry, changesOf),
  }));
  return {
    edges,
    pageInfo: pageInfoOf(edges, {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: before !== undefined,
    }),
    // Read only if the query selects the field (after a cursor, it reads the log).
    get totalCount() {
      return page.totalCount();
    },
  };
}

function historyEntryOf<State>(
  entry: HistoryPageEntry<State>,
  changesOf: (entry: HistoryEntry<State>) => FieldChange[],
): HistoryEntryModel {
  const { event } = entry;
  const { actor, occurredAt, recordedAt, reason, commandId } = event.metadata;
  return {
    eventId: event.id,
    type: event.type,
    position: event.position,
    streamVersion: event.streamVersion,
    actor: eventActorFrom(actor),
    occurredAt: new Date(occurredAt),
    recordedAt: new Date(recordedAt),
    reason: reason ?? null,
    commandId: commandId ?? null,
    // Read only if the query selects the field (a getter: the diff is computed on demand).
    get changes() {
      const { states } = entry;
      return states instanceof Promise ? states.then(changesOf) : changesOf(states);
    },
  };
}
