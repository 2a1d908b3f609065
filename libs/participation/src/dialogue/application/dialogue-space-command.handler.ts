import type { EventStore } from '#event-store';
import { CommitmentTimeline } from '#commitments';
import {
  CommandHandler,
  type CommandHandlerOptions,
  type CommandRequest,
  type CommandResult,
  type CommandStreamType,
} from '#platform';
import {
  dialogueRuleBroken,
  type DialogueSpaceCommand,
  type DialogueSpaceEvent,
  type DialogueSpaceState,
  type StoredDialogueSpaceEvent,
} from '../domain/index.js';
import { DIALOGUE_SPACE_STREAM } from './dialogue-space-stream.js';

/** The dialogue space's stream type as the generic command handler runs it. */
const DIALOGUE_SPACE_COMMANDS: CommandStreamType<
  DialogueSpaceCommand,
  DialogueSpaceEvent,
  DialogueSpaceState,
  StoredDialogueSpaceEvent
> = {
  ...DIALOGUE_SPACE_STREAM,
  streamIdOf: (command) => String(command.data.dialogueSpaceId),
  // Stewards of the lead agency of the commitments the space concerns write it.
  agencyOf: (state) => (state.status === 'empty' ? undefined : state.agencyId),
  agencyOfNew: (command) =>
    command.type === 'RecordDialogueSpace' ? command.data.agencyId : undefined,
};

/**
 * Runs dialogue space commands on the platform's handler (read, fold, decide, append,
 * retry, idempotent by command id). Before a space is recorded, the commitments it names are
 * read from their streams: each must exist, and all must have one lead agency, whose
 * stewards then write the space.
 */
export class DialogueSpaceCommandHandler {
  private readonly handler: CommandHandler<
    DialogueSpaceCommand,
    DialogueSpaceEvent,
    DialogueSpaceState,
    StoredDialogueSpaceEvent
  >;
  private readonly commitments: CommitmentTimeline;

  constructor(store: EventStore, options: CommandHandlerOptions = {}) {
    this.handler = new CommandHandler(store, DIALOGUE_SPACE_COMMANDS, options);
    this.commitments = new CommitmentTimeline(store);
  }

  async handle(request: CommandRequest<DialogueSpaceCommand>): Promise<CommandResult> {
    const { command } = request;
    if (command.type !== 'RecordDialogueSpace') return this.handler.handle(request);
    const { agencyId: _ignored, ...data } = command.data;
    const agencyId = await this.leadAgencyOf(data.commitmentIds);
    return this.handler.handle({
      ...request,
      command: {
        type: command.type,
        data: { ...data, ...(agencyId === undefined ? {} : { agencyId }) },
      },
    });
  }

  /**
   * The one lead agency of the commitments named; undefined when the list is not one the
   * decider will accept (it says what is wrong with it).
   */
  private async leadAgencyOf(commitmentIds: unknown): Promise<string | undefined> {
    if (!Array.isArray(commitmentIds) || commitmentIds.length > 50) return undefined;
    let agency: string | undefined;
    for (const [i, id] of commitmentIds.entries()) {
      if (typeof id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(id)) {
        return undefined;
      }
      const { state } = await this.commitments.snapshot(id);
      if (state.status === 'empty') {
        throw dialogueRuleBroken(
          `commitmentIds.${i}`,
          'unknown_commitment',
          `commitmentIds.${i} names no commitment: ${id}`,
        );
      }
      if (agency !== undefined && state.leadAgency.id !== agency) {
        throw dialogueRuleBroken(
          `commitmentIds.${i}`,
          'one_lead_agency',
          `commitmentIds must all be commitments of one lead agency: ${id} is of ` +
            `${state.leadAgency.id}, not ${agency}`,
        );
      }
      agency = state.leadAgency.id;
    }
    return agency;
  }
}
