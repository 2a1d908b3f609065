import type { EventStore } from '#event-store';
import { CommitmentTimeline, commitmentStream } from '#commitments';
import type { TargetDirectory } from '../domain/index.js';

/**
 * The dialogue space's stream, as the dialogue part of participation names it. An
 * evaluation of a dialogue space is answered by the agency of the steward who recorded it.
 */
export const dialogueSpaceStream = (dialogueSpaceId: string): string =>
  `dialogue-space-${dialogueSpaceId}`;

type Entry<T> = [string, T | undefined];
type CommitmentFacts = { agencyId: string; milestoneIds: string[] };

/**
 * Commitments' facts as last folded, by id, with the stream version they were folded at: a
 * submission reads only the stream's newest event to know whether they still hold, instead of
 * folding the whole stream each time (every evaluation of a commitment names the same one).
 */
export class CommitmentFactsCache {
  private readonly entries = new Map<string, { version: number; facts: CommitmentFacts }>();

  constructor(private readonly maxEntries = 1_000) {}

  get(commitmentId: string, version: number): CommitmentFacts | undefined {
    const entry = this.entries.get(commitmentId);
    return entry?.version === version ? entry.facts : undefined;
  }

  set(commitmentId: string, version: number, facts: CommitmentFacts): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(commitmentId, { version, facts });
  }
}

/**
 * Reads from the log what a submission's target needs the decider to know: the commitment
 * (lead agency, milestones) or the dialogue space it names. Reads only what the raw input
 * names; the decider checks the input's shape and reports what is missing.
 */
export async function lookUpTargets(
  store: EventStore,
  target: unknown,
  cache: CommitmentFactsCache = new CommitmentFactsCache(),
): Promise<TargetDirectory> {
  const named = (typeof target === 'object' && target !== null ? target : {}) as Record<
    string,
    unknown
  >;
  const commitmentId = typeof named.commitmentId === 'string' ? named.commitmentId : undefined;
  const spaceId = typeof named.dialogueSpaceId === 'string' ? named.dialogueSpaceId : undefined;
  const [commitment, space] = await Promise.all([
    commitmentId === undefined ? undefined : commitmentFacts(store, commitmentId, cache),
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
  cache: CommitmentFactsCache,
): Promise<Entry<CommitmentFacts>> {
  const [newest] = await store.readStream(commitmentStream(commitmentId), {
    direction: 'backwards',
    limit: 1,
  });
  if (newest === undefined) return [commitmentId, undefined];
  const cached = cache.get(commitmentId, newest.streamVersion);
  if (cached !== undefined) return [commitmentId, cached];
  const { state, version } = await new CommitmentTimeline(store).snapshot(commitmentId);
  if (state.status === 'empty') return [commitmentId, undefined];
  const facts = { agencyId: state.leadAgency.id, milestoneIds: state.milestones.map((m) => m.id) };
  cache.set(commitmentId, version, facts);
  return [commitmentId, facts];
}

async function dialogueSpaceFacts(
  store: EventStore,
  dialogueSpaceId: string,
): Promise<Entry<{ agencyId: string | null }>> {
  const [first] = await store.readStream(dialogueSpaceStream(dialogueSpaceId), { limit: 1 });
  if (first === undefined) return [dialogueSpaceId, undefined];
  return [dialogueSpaceId, { agencyId: first.metadata.actor?.agency ?? null }];
}
