import { CuentaError, type PersonalDataDeclaration } from '#platform';

/**
 * Which members of participation's evaluation events are personal (Ley 1581): the citizen's
 * comment, their contact details and their self-declared inclusion groups (sensitive).
 */
export const EVALUATION_PERSONAL_DATA: PersonalDataDeclaration = {
  EvaluationSubmitted: { '/comment': 'comment', '/contact': 'contact', '/groups': 'sensitive' },
};

/** The server keeps no personal-data store, so a write carrying personal data cannot be taken. */
export class PersonalDataUnavailableError extends CuentaError {
  readonly code = 'PERSONAL_DATA_UNAVAILABLE';
  constructor(readonly field: string) {
    super(`${field} is personal data, and this server has no personal-data store configured`);
    this.name = 'PersonalDataUnavailableError';
  }
  override details() {
    return { field: this.field };
  }
}

/**
 * A server without a personal-data store records no personal value: a submission that
 * carries one is refused, naming the member, before anything is appended (the demo, which
 * carries none, runs without a store).
 * @throws PersonalDataUnavailableError
 */
export function refuseUnsealable(
  command: { type: string; data: object },
  declaration: PersonalDataDeclaration = EVALUATION_PERSONAL_DATA,
): void {
  const eventType = SUBMISSION_EVENT[command.type];
  if (eventType === undefined) return;
  for (const path of Object.keys(declaration[eventType] ?? {})) {
    const member = (command.data as Record<string, unknown>)[path.slice(1)];
    if (member !== undefined && member !== null) {
      throw new PersonalDataUnavailableError(path.slice(1));
    }
  }
}

/** The event each personal-data-carrying command records its members in. */
const SUBMISSION_EVENT: Readonly<Record<string, string>> = {
  SubmitEvaluation: 'EvaluationSubmitted',
};
