import {
  calendarDate,
  fail,
  identifier,
  list,
  object,
  oneOf,
  optionalText,
  sameJson,
  text,
  textList,
  TEXT_LIMITS,
  unique,
  type CalendarDate,
} from '#kernel';
import type { CommitmentFieldsInput } from './commitment.commands.js';
import {
  BUDGET_PHASES,
  OGP_VALUES,
  type BudgetPhase,
  type CommitmentFields,
  type Evidence,
  type LeadAgency,
  type OgpValueEntry,
  type TerritorialScope,
} from './commitment.events.js';
import { AGENCY_ID_RULE, agencyIdOf } from './lead-agency.js';

// The commitments' own input checks, shared by decide and by corrections, built on the
// kernel's (text, identifier, dates...). Each takes the raw value and the field's path for the
// error, and returns the value as it is recorded: trimmed, lower-cased where case carries no
// meaning, defaults filled in.

export const LIMITS = {
  ...TEXT_LIMITS,
  title: 500,
  evidencePerReport: 20,
  url: 2048,
} as const;

const CODE = /^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*$/;

/**
 * A commitment's code: 2 to 40 characters, letters and digits in groups joined by single
 * hyphens, starting with a letter (`CartagenaCuenta-2023`, `CTG0001`). No spaces or `#`, as
 * codes go into URLs and queries.
 */
export function commitmentCode(value: unknown, field: string): string {
  const code = text(value, field, 40);
  if (code.length < 2 || !CODE.test(code)) {
    fail(
      field,
      'format',
      `${field} must be 2 to 40 letters and digits, in groups joined by single hyphens, starting with a letter`,
    );
  }
  return code;
}

/** Whole Colombian pesos: a safe integer, zero or more. */
export function amountCop(value: unknown, field: string): number {
  if (value === undefined || value === null) fail(field, 'required');
  if (typeof value !== 'number' || Number.isNaN(value)) {
    fail(field, 'format', `${field} must be a number`);
  }
  if (!Number.isSafeInteger(value)) {
    fail(field, 'integer', `${field} must be a whole number of pesos below 2^53`);
  }
  if (value < 0) fail(field, 'range', `${field} must not be negative`);
  return value;
}

export function budgetPhase(value: unknown, field: string): BudgetPhase {
  return oneOf(value, BUDGET_PHASES, field);
}

const SHA256 = /^[0-9a-fA-F]{64}$/;
const MEDIA_TYPE =
  /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;
const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i;

export function evidence(value: unknown, field: string): Evidence {
  const input = object(value, field);
  const kind = oneOf(input.kind, ['link', 'document'] as const, `${field}.kind`);
  if (typeof input.sha256 !== 'string' || input.sha256 === '') fail(`${field}.sha256`, 'required');
  if (!SHA256.test(input.sha256)) {
    fail(`${field}.sha256`, 'format', `${field}.sha256 must be 64 hexadecimal digits`);
  }
  const common = {
    sha256: input.sha256.toLowerCase(),
    mediaType: mediaType(input.mediaType, `${field}.mediaType`),
    description: text(input.description, `${field}.description`, LIMITS.text),
  };
  if (kind === 'link') {
    const url = text(input.url, `${field}.url`, LIMITS.url);
    if (!HTTP_URL.test(url)) fail(`${field}.url`, 'format', `${field}.url must be an http(s) URL`);
    return { kind, url, ...common };
  }
  return { kind, fileName: text(input.fileName, `${field}.fileName`, LIMITS.name), ...common };
}

function mediaType(value: unknown, field: string): string {
  const type = text(value, field, 255);
  if (!MEDIA_TYPE.test(type)) fail(field, 'format', `${field} must be a media type like text/csv`);
  return type.toLowerCase();
}

/** A list of evidence; `undefined` or an empty list both mean none. */
export function evidenceList(value: unknown, field: string): Evidence[] | undefined {
  if (value === undefined) return undefined;
  const items = list(value, field, LIMITS.evidencePerReport).map((item, i) =>
    evidence(item, `${field}.${i}`),
  );
  return items.length === 0 ? undefined : items;
}

/**
 * What the checks need to know beyond the input. `agencyId`: the id a lead agency given
 * without one keeps (the commitment's, in a revision or correction); absent, the id is
 * derived from the agency's name (a registration).
 */
export interface FieldContext {
  agencyId?: string;
}

function leadAgency(value: unknown, field: string, context: FieldContext): LeadAgency {
  const input = object(value, field);
  const name = text(input.name, `${field}.name`, LIMITS.name);
  return {
    id: leadAgencyId(input.id, name, `${field}.id`, context),
    name,
    offices: textList(input.offices ?? [], `${field}.offices`),
  };
}

function leadAgencyId(value: unknown, name: string, field: string, context: FieldContext): string {
  if ((value === undefined || value === null) && context.agencyId !== undefined) {
    return context.agencyId;
  }
  const outcome = agencyIdOf(value, name);
  if ('id' in outcome) return outcome.id;
  switch (outcome.problem) {
    case 'underivable':
      return fail(
        field,
        'required',
        `${field} is required: the name has no letter or digit to derive it from`,
      );
    case 'not_text':
      return fail(field, 'format', `${field} must be text`);
    case 'blank':
      return fail(field, 'required');
    case 'invalid':
      return fail(field, 'format', `${field} must be ${AGENCY_ID_RULE}`);
  }
}

function ogpValues(value: unknown, field: string): OgpValueEntry[] {
  const entries = list(value, field, OGP_VALUES.length).map((item, i): OgpValueEntry => {
    const input = object(item, `${field}.${i}`);
    const entry: OgpValueEntry = { value: oneOf(input.value, OGP_VALUES, `${field}.${i}.value`) };
    const relevance = optionalText(input.relevance, `${field}.${i}.relevance`);
    return relevance === undefined ? entry : { ...entry, relevance };
  });
  unique(
    entries.map((e) => e.value),
    field,
  );
  return entries;
}

function territories(value: unknown, field: string): TerritorialScope {
  const input = object(value, field);
  for (const key of Object.keys(input)) {
    if (!['localidades', 'comunas', 'corregimientos'].includes(key)) {
      fail(`${field}.${key}`, 'not_a_field');
    }
  }
  return {
    localidades: textList(input.localidades ?? [], `${field}.localidades`),
    comunas: textList(input.comunas ?? [], `${field}.comunas`),
    corregimientos: textList(input.corregimientos ?? [], `${field}.corregimientos`),
  };
}

type FieldCheck<K extends keyof CommitmentFields> = (
  value: unknown,
  field: string,
  context: FieldContext,
) => NonNullable<CommitmentFields[K]>;

/** One check per template field; the same checks serve registration, revision and correction. */
const FIELD_CHECKS: { [K in keyof CommitmentFields]-?: FieldCheck<K> } = {
  code: commitmentCode,
  title: (v, f) => text(v, f, LIMITS.title),
  actionPlanId: identifier,
  startDate: calendarDate,
  endDate: calendarDate,
  leadAgency,
  stakeholders: (v, f) => textList(v, f),
  problem: (v, f) => text(v, f),
  statusQuo: (v, f) => text(v, f),
  action: (v, f) => text(v, f),
  contribution: (v, f) => text(v, f),
  longTermGoal: (v, f) => text(v, f),
  policyAreas: (v, f) => textList(v, f),
  ogpValues,
  resources: (v, f) => text(v, f),
  territories,
  inclusionGroups: (v, f) => textList(v, f),
};

const FIELD_NAMES = Object.keys(FIELD_CHECKS) as (keyof CommitmentFields)[];

const defaults = (): Pick<
  CommitmentFields,
  'stakeholders' | 'policyAreas' | 'ogpValues' | 'territories' | 'inclusionGroups'
> => ({
  stakeholders: [],
  policyAreas: [],
  ogpValues: [],
  territories: { localidades: [], comunas: [], corregimientos: [] },
  inclusionGroups: [],
});

function checkDateOrder(start: CalendarDate, end: CalendarDate, endField: string): void {
  if (end < start) {
    fail(endField, 'not_before_start', `${endField} must not be before the start date`);
  }
}

/**
 * The template fields of a registration, checked and normalized, with lists defaulted to
 * empty. Precondition: `input` holds only template fields (no `commitmentId`); `prefix` is
 * put before field names in errors (`corrected.`).
 */
export function commitmentFields(
  input: Record<string, unknown>,
  prefix = '',
  context: FieldContext = {},
): CommitmentFields {
  const fields = {
    ...defaults(),
    ...checkFields(input, prefix, context),
  } as Partial<CommitmentFields>;
  for (const required of ['code', 'title', 'actionPlanId', 'startDate', 'endDate', 'leadAgency']) {
    if (!(required in fields)) fail(`${prefix}${required}`, 'required');
  }
  const complete = fields as CommitmentFields;
  checkDateOrder(complete.startDate, complete.endDate, `${prefix}endDate`);
  return complete;
}

/**
 * Checks the fields of a revision without comparing them to a current state, as when a
 * correction restates what a past revision changed. `field` names the input in errors.
 */
export function revisionChanges(
  input: unknown,
  field: string,
  context: FieldContext = {},
): Partial<CommitmentFields> {
  return checkFields(object(input, field), `${field}.`, context);
}

/**
 * The fields a revision changes, checked and normalized, keeping only those whose value
 * differs from `current`. The dates are checked against each other as they will be after
 * the change. A lead agency given without an id keeps the current one.
 */
export function commitmentChanges(
  input: unknown,
  current: CommitmentFields,
  field: string,
): Partial<CommitmentFields> {
  const given = checkFields(object(input, field), `${field}.`, {
    agencyId: current.leadAgency.id,
  });
  const changes: Partial<Record<keyof CommitmentFields, unknown>> = {};
  for (const name of FIELD_NAMES) {
    if (name in given && !sameJson(given[name], current[name])) changes[name] = given[name];
  }
  const start = (changes.startDate ?? current.startDate) as CalendarDate;
  const end = (changes.endDate ?? current.endDate) as CalendarDate;
  checkDateOrder(start, end, 'endDate' in changes ? `${field}.endDate` : `${field}.startDate`);
  return changes as Partial<CommitmentFields>;
}

function checkFields(
  input: Record<string, unknown>,
  prefix: string,
  context: FieldContext,
): Partial<CommitmentFields> {
  const result: Partial<Record<keyof CommitmentFields, unknown>> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!(FIELD_NAMES as string[]).includes(key)) fail(`${prefix}${key}`, 'not_a_field');
    if (value === undefined) continue;
    const name = key as keyof CommitmentFields;
    result[name] = FIELD_CHECKS[name](value, `${prefix}${key}`, context);
  }
  return result as Partial<CommitmentFields>;
}

/** Registration input without its id, for `commitmentFields`. */
export function templateOf(
  data: { commitmentId: string } & CommitmentFieldsInput,
): Record<string, unknown> {
  const { commitmentId: _id, ...template } = data;
  return template;
}

/** The names of the template fields, in the order they are recorded. */
export const TEMPLATE_FIELDS: readonly (keyof CommitmentFields)[] = FIELD_NAMES;
