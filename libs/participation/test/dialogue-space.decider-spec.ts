import { deciderSpec } from '../../../test/support/decider-spec.js';
import { dialogueSpaceDecider } from '../src/dialogue/domain/index.js';

// The generic given/when/then decider spec, set up for the dialogue space's decider.

export { TEST_NOW } from '../../../test/support/decider-spec.js';

export const { given } = deciderSpec(dialogueSpaceDecider);
