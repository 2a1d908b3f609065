import type { EventStore } from '#event-store';
import {
  CommandHandler,
  type CommandHandlerOptions,
  type CommandRequest,
  type CommandResult,
  type PersonalDataStore,
} from '#platform';
import {
  DEFAULT_AUTO_HIDE_AFTER,
  type EvaluationCommand,
  type HolidayCalendar,
  type TargetDirectory,
} from '../domain/index.js';
import { colombianHolidays } from './colombian-holidays.js';
import { EVALUATION_PERSONAL_DATA, refuseUnsealable } from './evaluation-personal-data.js';
import { evaluationStreamType } from './evaluation-stream.js';
import { CommitmentFactsCache, lookUpTargets } from './evaluation-targets.js';

/** `personal` says whose personal values a submission carries, and the consent given. */
export type EvaluationCommandRequest = CommandRequest<EvaluationCommand>;

export interface EvaluationCommandHandlerOptions extends CommandHandlerOptions {
  /** Reports that hide a visible evaluation automatically (default 3). */
  autoHideAfter?: number;
  /** Default: Colombia's, from `date-holidays`. */
  holidays?: HolidayCalendar;
}

const NO_TARGETS: TargetDirectory = {
  commitment: () => undefined,
  dialogueSpace: () => undefined,
};

/**
 * Runs evaluation commands with the platform's generic handler on the stream
 * `evaluation-<id>`. A submission first reads the target it names from the log (the
 * commitment and its milestones, or the dialogue space) and seals its personal values into
 * the personal-data store before the append. The stream's agency is the target's answering
 * agency, so only its stewards answer.
 */
export class EvaluationCommandHandler {
  private readonly holidays: HolidayCalendar;
  private readonly autoHideAfter: number;
  private readonly commitments = new CommitmentFactsCache();

  constructor(
    private readonly store: EventStore,
    private readonly personalData: PersonalDataStore | undefined,
    private readonly options: EvaluationCommandHandlerOptions = {},
  ) {
    this.holidays = options.holidays ?? colombianHolidays();
    this.autoHideAfter = options.autoHideAfter ?? DEFAULT_AUTO_HIDE_AFTER;
  }

  async handle(request: EvaluationCommandRequest): Promise<CommandResult> {
    const { command } = request;
    if (this.personalData === undefined) refuseUnsealable(command);
    const targets =
      command.type === 'SubmitEvaluation'
        ? await lookUpTargets(this.store, command.data.target, this.commitments)
        : NO_TARGETS;
    const streamType = evaluationStreamType({
      holidays: this.holidays,
      autoHideAfter: this.autoHideAfter,
      targets,
    });
    const handler = new CommandHandler(
      this.store,
      {
        ...streamType,
        // Sealed by the platform's pipeline before the append (docs/privacy.md); a server
        // without a store refused personal values above.
        personalData: this.personalData ? EVALUATION_PERSONAL_DATA : undefined,
        streamIdOf: (command) => String(command.data.evaluationId),
        agencyOf: (state) => (state.status === 'none' ? undefined : (state.agencyId ?? undefined)),
        agencyOfNew: () => undefined,
      },
      { ...this.options, personalData: this.personalData },
    );
    return handler.handle(request);
  }
}
