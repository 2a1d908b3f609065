import {
  fail,
  identifier,
  list,
  object,
  oneOf,
  optionalText,
  text,
  TEXT_LIMITS,
  unique,
  type DecideContext,
  type Decider,
} from '#kernel';
import { BORDA, BORDA_RULE } from './borda.js';
import { countedBallots, countOf } from './prioritization.count.js';
import type {
  CastBallot,
  ClosePrioritization,
  OpenPrioritization,
  PrioritizationCommand,
} from './prioritization.commands.js';
import {
  PrioritizationAlreadyClosed,
  PrioritizationAlreadyOpened,
  PrioritizationNotFound,
  PrioritizationNotOpenYet,
  PrioritizationStillOpen,
  PrioritizationVotingEnded,
} from './prioritization.errors.js';
import type {
  CandidateTopic,
  PrioritizationEvent,
  StoredPrioritizationEvent,
} from './prioritization.events.js';
import { evolvePrioritization } from './prioritization.evolve.js';
import {
  ballotKey,
  initialPrioritizationState,
  type PrioritizationState,
} from './prioritization.state.js';

/** Candidate topics an exercise may publish: at least two, so that ranking means something. */
export const TOPIC_LIMITS = { min: 2, max: 50 } as const;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The events a prioritization command produces, or the DomainError saying why none. Pure:
 * the business time is `context.now`.
 */
export function decidePrioritization(
  command: PrioritizationCommand,
  state: PrioritizationState,
  context: DecideContext,
): PrioritizationEvent[] {
  switch (command.type) {
    case 'OpenPrioritization':
      return open(command, state, context.now);
    case 'CastBallot':
      return cast(command, state, context.now);
    case 'ClosePrioritization':
      return close(command, state, context.now);
  }
}

function open(
  command: OpenPrioritization,
  state: PrioritizationState,
  now: Date,
): PrioritizationEvent[] {
  const data = object(command.data, 'input');
  const prioritizationId = identifier(data.prioritizationId, 'prioritizationId');
  if (state.status !== 'none') throw new PrioritizationAlreadyOpened(prioritizationId);
  const title = text(data.title, 'title', TEXT_LIMITS.name);
  const description = optionalText(data.description, 'description');
  const agencyId = identifier(data.agencyId, 'agencyId');
  const commitmentId =
    data.commitmentId === undefined ? undefined : identifier(data.commitmentId, 'commitmentId');
  const milestoneId =
    data.milestoneId === undefined ? undefined : identifier(data.milestoneId, 'milestoneId');
  if (milestoneId !== undefined && commitmentId === undefined) {
    fail('commitmentId', 'required', 'commitmentId is required with milestoneId');
  }
  const topics = topicsOf(data.topics);
  const opensAt = instant(data.opensAt, 'opensAt');
  const closesAt = instant(data.closesAt, 'closesAt');
  if (closesAt <= opensAt) {
    fail('closesAt', 'not_before_start', 'closesAt must be after opensAt');
  }
  if (new Date(closesAt) <= now) {
    fail('closesAt', 'range', 'closesAt must be later than the time the exercise is opened');
  }
  const method = oneOf(data.method, [BORDA], 'method');
  return [
    {
      type: 'PrioritizationOpened',
      data: {
        prioritizationId,
        title,
        ...(description !== undefined && { description }),
        agencyId,
        ...(commitmentId !== undefined && { commitmentId }),
        ...(milestoneId !== undefined && { milestoneId }),
        topics,
        opensAt,
        closesAt,
        method,
        methodRule: BORDA_RULE,
      },
    },
  ];
}

function cast(command: CastBallot, state: PrioritizationState, now: Date): PrioritizationEvent[] {
  const data = object(command.data, 'input');
  const prioritizationId = identifier(data.prioritizationId, 'prioritizationId');
  if (state.status === 'none') throw new PrioritizationNotFound(prioritizationId);
  const { exercise } = state;
  if (state.status === 'closed' || now >= new Date(exercise.closesAt)) {
    throw new PrioritizationVotingEnded(exercise.closesAt);
  }
  if (now < new Date(exercise.opensAt)) throw new PrioritizationNotOpenYet(exercise.opensAt);
  const participant = text(data.participant, 'participant', 200);
  const known = new Set(exercise.topics.map((topic) => topic.id));
  const ranking = list(data.ranking, 'ranking', exercise.topics.length).map((topicId, i) => {
    const field = `ranking.${i}`;
    if (typeof topicId !== 'string' || !known.has(topicId)) {
      fail(field, 'one_of', `${field} is not a candidate topic of this prioritization`);
    }
    return topicId;
  });
  if (ranking.length === 0) fail('ranking', 'required', 'ranking must name at least one topic');
  unique(ranking, 'ranking');
  const earlier = state.ballots[ballotKey(participant)];
  return [
    {
      type: 'BallotCast',
      data: {
        prioritizationId,
        participant,
        ranking,
        ...(earlier !== undefined && { replaces: earlier.eventId }),
      },
    },
  ];
}

function close(
  command: ClosePrioritization,
  state: PrioritizationState,
  now: Date,
): PrioritizationEvent[] {
  const data = object(command.data, 'input');
  const prioritizationId = identifier(data.prioritizationId, 'prioritizationId');
  if (state.status === 'none') throw new PrioritizationNotFound(prioritizationId);
  if (state.status === 'closed') throw new PrioritizationAlreadyClosed(prioritizationId);
  if (now < new Date(state.exercise.closesAt)) {
    throw new PrioritizationStillOpen(state.exercise.closesAt);
  }
  return [
    {
      type: 'PrioritizationClosed',
      data: {
        prioritizationId,
        method: state.exercise.method,
        countedBallots: countedBallots(state.ballots).map((ballot) => ballot.eventId),
        standings: countOf(state.exercise, state.ballots),
      },
    },
  ];
}

function topicsOf(value: unknown): CandidateTopic[] {
  const items = list(value, 'topics', TOPIC_LIMITS.max);
  if (items.length < TOPIC_LIMITS.min) {
    fail('topics', 'required', `topics must list at least ${TOPIC_LIMITS.min} candidates`);
  }
  const topics = items.map((item, i) => {
    const topic = object(item, `topics.${i}`);
    return {
      id: identifier(topic.id, `topics.${i}.id`),
      title: text(topic.title, `topics.${i}.title`, TEXT_LIMITS.name),
    };
  });
  unique(
    topics.map((topic) => topic.id),
    'topics',
  );
  return topics;
}

/** An ISO-8601 instant with its zone, as recorded: normalized to UTC (`...Z`). */
function instant(value: unknown, field: string): string {
  if (value === undefined || value === '') fail(field, 'required');
  const time = typeof value === 'string' && ISO_INSTANT.test(value) ? new Date(value) : undefined;
  if (time === undefined || Number.isNaN(time.getTime())) fail(field, 'valid_timestamp');
  return time.toISOString();
}

/** The prioritization exercise's decider. */
export const prioritizationDecider: Decider<
  PrioritizationCommand,
  PrioritizationEvent,
  PrioritizationState,
  StoredPrioritizationEvent
> = {
  decide: decidePrioritization,
  evolve: evolvePrioritization,
  initialState: initialPrioritizationState,
};
