import type { EventStore } from '#event-store';
import {
  CommandHandler,
  ForbiddenError,
  type CommandHandlerOptions,
  type CommandRequest,
  type CommandResult,
  type CommandStreamType,
} from '#platform';
import {
  evaluateFile,
  fileKeyOfFlag,
  JUSTIFICATION_SCHEMA_VERSIONS,
  justificationDecider,
  justificationStream,
  RedFlagNotFound,
  type JustificationState,
  type JustifyRedFlag,
  type RedFlagJustified,
  type Thresholds,
} from '../domain/index.js';
import type { RedFlagQueries } from '../read-models/red-flag-files/red-flag-files.queries.js';

type StoredJustification = RedFlagJustified & { id: string };

/** A file's justification stream (`red-flag-<file key>`), as the generic handler runs it. */
const JUSTIFICATIONS: CommandStreamType<
  JustifyRedFlag,
  RedFlagJustified,
  JustificationState,
  StoredJustification
> = {
  name: 'redFlag',
  streamOf: justificationStream,
  decider: justificationDecider,
  schemaVersions: JUSTIFICATION_SCHEMA_VERSIONS,
  upcasters: 'RED_FLAG_UPCASTERS',
  streamIdOf: (command) => fileKeyOfFlag(String(command.data.flagId)) ?? 'invalid',
  // Stewards of the flag's agency write it (the file's agency, looked up before deciding).
  agencyOf: (state) => (state.status === 'justified' ? state.agencyId : undefined),
  agencyOfNew: (command) => command.data.agencyId,
};

/**
 * Records justifications. Before deciding, the flag is looked up in the read model and judged
 * now: it must exist (open or closed), and its file's agency is the one whose stewards may
 * justify it. A flag of no agency (an evaluation nobody answers for) is for administrators.
 */
export class RedFlagJustificationHandler {
  private readonly handler: CommandHandler<
    JustifyRedFlag,
    RedFlagJustified,
    JustificationState,
    StoredJustification
  >;

  constructor(
    store: EventStore,
    private readonly queries: RedFlagQueries,
    private readonly thresholds: Thresholds,
    private readonly options: CommandHandlerOptions = {},
  ) {
    this.handler = new CommandHandler(store, JUSTIFICATIONS, options);
  }

  async handle(request: CommandRequest<JustifyRedFlag>): Promise<CommandResult> {
    const { agencyId: _ignored, ...data } = request.command.data;
    const command: JustifyRedFlag = { type: 'JustifyRedFlag', data };
    const key = typeof data.flagId === 'string' ? fileKeyOfFlag(data.flagId) : null;
    // An id that is no flag id is the decider's to refuse, naming the field.
    if (key === null) return this.handler.handle({ ...request, command });
    const row = await this.queries.file(key);
    const now = (this.options.now ?? (() => new Date()))().toISOString();
    const found =
      row !== undefined &&
      evaluateFile(key, row.file, now, this.thresholds).some((flag) => flag.id === data.flagId);
    if (!found) throw new RedFlagNotFound(data.flagId);
    const { issuer } = request;
    if (row.agencyId === null && issuer.kind === 'caller' && issuer.actor.role === 'steward') {
      throw new ForbiddenError(
        'AGENCY',
        `red flag ${data.flagId} concerns no agency: only an administrator may justify it`,
      );
    }
    return this.handler.handle({
      ...request,
      command: {
        type: command.type,
        data: { ...data, ...(row.agencyId === null ? {} : { agencyId: row.agencyId }) },
      },
    });
  }
}
