import { DomainError, InvalidCommand, type Decider } from '#kernel';
import { JUSTIFICATION_STREAM_PREFIX, JUSTIFIED_EVENT } from './red-flag.fold.js';

/**
 * An official's justification of a red flag: a reason recorded beside the flag, in the
 * stream of the flag's file (`red-flag-<file key>`). It never closes the flag; only the
 * flag's condition ending does.
 */
export interface JustifyRedFlag {
  type: 'JustifyRedFlag';
  data: {
    flagId: string;
    reason: string;
    /**
     * The agency whose stewards may justify it: the file's (a commitment's lead agency, an
     * evaluation's or dialogue space's agency). Set by the application from the read model,
     * never by the caller.
     */
    agencyId?: string;
  };
}

export interface RedFlagJustified {
  type: typeof JUSTIFIED_EVENT;
  data: { flagId: string; reason: string; agencyId?: string; justifiedAt: string };
}

export type JustificationState =
  { status: 'empty' } | { status: 'justified'; agencyId?: string; justifications: number };

export const JUSTIFICATION_SCHEMA_VERSIONS: Readonly<Record<RedFlagJustified['type'], number>> = {
  RedFlagJustified: 1,
};

/** A red flag's id: `CF-07/commitment:<id>#1`, `CF-01/commitment:<id>/milestone:<id>#2`. */
const FLAG_ID =
  /^CF-\d{2}\/((?:commitment|evaluation|dialogue_space):[A-Za-z0-9._-]{1,100})(\/[A-Za-z0-9._:/-]{1,200})?#\d{1,6}$/;
const MAX_REASON = 2000;

/** The key of the file a flag id belongs to, or null if `flagId` is not a flag id. */
export function fileKeyOfFlag(flagId: string): string | null {
  const match = FLAG_ID.exec(flagId);
  return match === null ? null : match[1];
}

/** The stream of a file's justifications. */
export const justificationStream = (fileKey: string): string =>
  `${JUSTIFICATION_STREAM_PREFIX}${fileKey}`;

/** No red flag has this id as of now. */
export class RedFlagNotFound extends DomainError {
  readonly code = 'RED_FLAG_NOT_FOUND';
  readonly category = 'NOT_FOUND';
  readonly flagId: string;

  constructor(flagId: string) {
    super(`no red flag has the id ${flagId}`, 'flagId');
    this.flagId = flagId;
  }
}

/** Checks a justification's input; the flag's existence is checked against the read model. */
function decide(
  command: JustifyRedFlag,
  _state: JustificationState,
  { now }: { now: Date },
): RedFlagJustified[] {
  const { flagId, reason, agencyId } = command.data;
  if (typeof flagId !== 'string' || flagId.length === 0) {
    throw new InvalidCommand({ field: 'flagId', rule: 'required' });
  }
  if (fileKeyOfFlag(flagId) === null) {
    throw new InvalidCommand({
      field: 'flagId',
      rule: 'format',
      message: 'flagId is not a red flag id (e.g. CF-08/commitment:<id>#1)',
    });
  }
  if (typeof reason !== 'string' || reason.trim().length === 0) {
    throw new InvalidCommand({ field: 'reason', rule: 'required' });
  }
  if (reason.length > MAX_REASON) {
    throw new InvalidCommand({
      field: 'reason',
      rule: 'too_long',
      message: `reason is too long (at most ${MAX_REASON} characters)`,
    });
  }
  return [
    {
      type: JUSTIFIED_EVENT,
      data: {
        flagId,
        reason: reason.trim(),
        ...(agencyId === undefined ? {} : { agencyId }),
        justifiedAt: now.toISOString(),
      },
    },
  ];
}

function evolve(
  state: JustificationState,
  event: RedFlagJustified & { id: string },
): JustificationState {
  return {
    status: 'justified',
    ...(event.data.agencyId === undefined ? {} : { agencyId: event.data.agencyId }),
    justifications: (state.status === 'justified' ? state.justifications : 0) + 1,
  };
}

export const justificationDecider: Decider<JustifyRedFlag, RedFlagJustified, JustificationState> = {
  decide,
  evolve,
  initialState: { status: 'empty' },
};
