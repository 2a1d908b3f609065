import type { StreamType } from '#platform';
import {
  DIALOGUE_SPACE_SCHEMA_VERSIONS,
  dialogueSpaceDecider,
  dialogueSpaceStream,
  type DialogueSpaceCommand,
  type DialogueSpaceEvent,
  type DialogueSpaceState,
  type StoredDialogueSpaceEvent,
} from '../domain/index.js';

/** The dialogue space's stream type: `dialogue-space-<id>`, its decider and schema versions. */
export const DIALOGUE_SPACE_STREAM: StreamType<
  DialogueSpaceCommand,
  DialogueSpaceEvent,
  DialogueSpaceState,
  StoredDialogueSpaceEvent
> = {
  name: 'dialogueSpace',
  streamOf: dialogueSpaceStream,
  decider: dialogueSpaceDecider,
  schemaVersions: DIALOGUE_SPACE_SCHEMA_VERSIONS,
  upcasters: 'DIALOGUE_SPACE_UPCASTERS',
};
