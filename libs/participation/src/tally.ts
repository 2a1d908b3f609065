// What `cuenta tally` needs from participation, without the server's libraries (no Nest, no
// PostgreSQL): the pure recount of a prioritization exercise from its events.
export {
  BORDA_RULE,
  prioritizationStream,
  tallyPrioritization,
  UnreadableTallyEvent,
  type BordaStanding,
  type Tally,
  type TallyEvent,
} from './prioritization/domain/index.js';
