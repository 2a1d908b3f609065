import { bordaCount, type BordaStanding } from './borda.js';
import type { CountedBallot, Exercise } from './prioritization.state.js';

/** The ballots that count: each participant's last one, in the order they were last cast. */
export function countedBallots(ballots: Readonly<Record<string, CountedBallot>>): CountedBallot[] {
  return Object.values(ballots);
}

/** The Borda count of the ballots that count, over the exercise's topics. Pure. */
export function countOf(
  exercise: Pick<Exercise, 'topics'>,
  ballots: Readonly<Record<string, CountedBallot>>,
): BordaStanding[] {
  return bordaCount(
    exercise.topics.map((topic) => topic.id),
    countedBallots(ballots).map((ballot) => ballot.ranking),
  );
}
