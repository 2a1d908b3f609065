import type { EventFilter, RecordedEvent } from '#event-store';
import type { EntityManager } from 'typeorm';

/**
 * A read model fed from the log. The runner hands it events in global order, in batches, each
 * inside the transaction that also moves its checkpoint, so a batch is applied exactly once
 * or not at all.
 */
export interface Projection {
  /** Stable name: the checkpoint's key and what `cuenta replay <name>` takes. */
  readonly name: string;
  /** Only these events are delivered; the checkpoint still moves past the others. */
  readonly filter?: EventFilter;
  /**
   * Applies a batch inside `manager`'s transaction. It may throw to abort the batch; then
   * nothing of it is kept and `discard` is called.
   */
  apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void>;
  /** Empties the projection's tables, in the rebuild's transaction. */
  reset(manager: EntityManager): Promise<void>;
  /** Forget whatever was cached from a batch that did not commit (or before a reset). */
  discard?(): void;
}
