import type { RecordedEvent } from '#event-store';
import { CheckpointMovedError, type Checkpoints } from './checkpoints.js';
import { ProjectionStalledError } from './parked-events.js';
import type { Projection } from './projection.js';

/**
 * After a batch failed: applies it again in halves, then halves of the part that fails,
 * until the event that fails (the poison event) is alone. The projection then stops exactly
 * at that event, whatever the batch size, and the stall recorded on its checkpoint names the
 * event an operator may park. Resolves with the number of events applied when every part
 * applied (the failure did not come back), the checkpoint then at `range.next`.
 * @throws ProjectionStalledError; CheckpointMovedError
 */
export async function isolatePoisonEvent(
  checkpoints: Checkpoints,
  projection: Projection,
  events: readonly RecordedEvent[],
  range: { expected: number; next: number },
  error: unknown,
  log: (line: string) => void,
): Promise<number> {
  let applied = 0;
  let at = range.expected;
  let pending = events;
  let failure = error;
  // The size of the last part that failed; the next part tried is half of it.
  let failed = events.length;
  while (failed > 1 && pending.length > 0) {
    const part = pending.slice(0, Math.ceil(failed / 2));
    const next = part[part.length - 1].position + 1;
    try {
      applied += await checkpoints.commit(projection, part, at, next);
      at = next;
      pending = pending.slice(part.length);
    } catch (partError) {
      projection.discard?.();
      if (partError instanceof CheckpointMovedError) throw partError;
      failure = partError;
      failed = part.length;
    }
  }
  if (pending.length === 0) {
    // Every part applied: the checkpoint goes on past the events between the last one and
    // `next`, which are not the projection's.
    if (at < range.next) await checkpoints.commit(projection, [], at, range.next);
    return applied;
  }
  // pending[0] failed alone.
  const reason = failure instanceof Error ? failure.message : String(failure);
  await checkpoints
    .recordStall(projection.name, at, pending[0].position, reason)
    .catch((recordError: Error) => log(`projection ${projection.name}: ${recordError.message}`));
  throw new ProjectionStalledError(projection.name, pending[0], reason);
}
