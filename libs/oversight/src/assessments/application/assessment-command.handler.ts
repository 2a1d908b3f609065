import type { EventStore } from '#event-store';
import {
  CommandHandler,
  type CommandHandlerOptions,
  type CommandRequest as StreamCommandRequest,
} from '#platform';
import {
  assessmentStreamId,
  type AssessedReport,
  type AssessmentCommand,
  type AssessmentEvent,
  type AssessmentState,
  type StoredAssessmentEvent,
} from '../domain/index.js';
import { ASSESSMENT_STREAM } from './assessment-stream.js';

export type AssessmentCommandRequest = StreamCommandRequest<AssessmentCommand>;

/**
 * Runs assessment commands with the platform's handler (read, fold, decide, append at the
 * version read, retry on a concurrent assessment of the same report, idempotent by command
 * id). No agency holds an assessment: oversight bodies are independent of the agencies they
 * assess, so no steward binding applies.
 */
export class AssessmentCommandHandler extends CommandHandler<
  AssessmentCommand,
  AssessmentEvent,
  AssessmentState,
  StoredAssessmentEvent
> {
  constructor(store: EventStore, options: CommandHandlerOptions = {}) {
    super(
      store,
      {
        ...ASSESSMENT_STREAM,
        // The decider refuses ids that are not letters, digits, - and _, so a stream named
        // from a bad input is never written.
        streamIdOf: (command) => {
          const report = (command.data.report ?? {}) as Partial<AssessedReport>;
          return assessmentStreamId(String(command.data.commitmentId), {
            kind: String(report.kind) as AssessedReport['kind'],
            id: String(report.id),
          });
        },
        agencyOf: () => undefined,
        agencyOfNew: () => undefined,
      },
      options,
    );
  }
}
