import type { EventStore } from '#event-store';
import { CommitmentTimeline } from '#commitments';
import type { TargetDirectory } from '../domain/index.js';

/**
 * The dialogue space's stream, as the dialogue part of participation names it. An
 * evaluation of a dialogue space is answered by the agency of the steward who recorded it.
 */
export const dialogueSpaceStream = (dialogueSpaceId: string): string =>
  `dialogue-space-${dialogueSpaceId}`;

type Entry<T> = [string, T | undefined];

/**
 * Reads from the log what a submission's target needs the decider to know: the commitment
 * (lead agency, milestones) or the dialogue space it names. Reads only what the raw input
 * names; the decider checks the input's shape and reports what is missing.
 */
export async function lookUpTargets(store: EventStore, target: unknown): Promise<TargetDirectory> {
  const named = (typeof target === 'object' && target !== null ? target : {}) as Record<
    string,
    unknown
  >;
  const commitmentId = typeof named.commitmentId === 'string' ? named.commitmentId : undefined;
  const spaceId = typeof named.dialogueSpaceId === 'string' ? named.dialogueSpaceId : undefined;
  const [commitment, space] = await Promise.all([
    commitmentId === undefined ? undefined : commitmentFacts(store, commitmentId),
    spaceId === undefined ? undefined : dialogueSpaceFacts(store, spaceId),
  ]);
  return {
    commitment: (id) => (commitment && commitment[0] === id ? commitment[1] : undefined),
    dialogueSpace: (id) => (space && space[0] === id ? space[1] : undefined),
  };
}

async function commitmentFacts(
  store: EventStore,
  commitmentId: string,
): Promise<Entry<{ agencyId: string; milestoneIds: string[] }>> {
  const { state } = await new CommitmentTimeline(store).snapshot(commitmentId);
  if (state.status === 'empty') return [commitmentId, undefined];
  return [
    commitmentId,
    { agencyId: state.leadAgency.id, milestoneIds: state.milestones.map((m) => m.id) },
  ];
}

async function dialogueSpaceFacts(
  store: EventStore,
  dialogueSpaceId: string,
): Promise<Entry<{ agencyId: string | null }>> {
  const [first] = await store.readStream(dialogueSpaceStream(dialogueSpaceId), { limit: 1 });
  if (first === undefined) return [dialogueSpaceId, undefined];
  return [dialogueSpaceId, { agencyId: first.metadata.actor?.agency ?? null }];
}
