import type { Actor as RecordedActor } from '#event-store';
import { DomainError } from '#kernel';
import { ImportEntryError, InvalidInputError } from '#platform';
import {
  AGENCY_ID_RULE,
  isAgencyId,
  normalizedCode,
  type CommitmentCommand,
  type CommitmentCommandType,
} from '../domain/index.js';
import type { CommandResult, CommitmentCommandHandler } from './commitment-command.handler.js';

/** The version tag an import file starts with (docs/import.md). */
export const IMPORT_FORMAT = 'cuenta-import/1';

/** One command of an import, with where it came from in the file. */
export interface ImportStep {
  /** JSON path of the entry that produced it, for error messages: `commitments[0].milestones[2]`. */
  path: string;
  commandId: string;
  occurredAt?: Date;
  actor: RecordedActor;
  command: CommitmentCommand;
}

export interface ImportSummary {
  commitments: number;
  /** Commands that wrote events now. */
  recorded: number;
  /** Commands that an earlier import had already recorded (nothing written). */
  alreadyRecorded: number;
}

/** A command of the file failed: `path` says which entry, `cause` why. Nothing of it was written. */
export class ImportStepError extends ImportEntryError {
  constructor(
    readonly path: string,
    override readonly cause: unknown,
  ) {
    const field = cause instanceof DomainError && cause.field ? `.${cause.field}` : '';
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`${path}${field}: ${detail}`);
    this.name = 'ImportStepError';
  }
}

// A record, so that a new command type fails to compile until it is listed.
const COMMANDS: Record<CommitmentCommandType, true> = {
  RegisterCommitment: true,
  ReviseCommitment: true,
  PublishCommitment: true,
  AddMilestone: true,
  RescheduleMilestone: true,
  ReportProgress: true,
  CompleteMilestone: true,
  CancelMilestone: true,
  CompleteCommitment: true,
  WithdrawCommitment: true,
  RecordBudget: true,
  CorrectEvent: true,
  SetMilestoneWeights: true,
};
const COMMAND_TYPES = Object.keys(COMMANDS) as CommitmentCommandType[];

type Json = Record<string, unknown>;

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(path, 'must be an object');
  }
  return value as Json;
}

function list(value: unknown, path: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidInputError(path, 'must be a list');
  return value;
}

function instant(value: unknown, path: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime()) || !/T.*(Z|[+-]\d\d:\d\d)$/.test(String(value))) {
    throw new InvalidInputError(path, 'must be an ISO-8601 date-time with a zone');
  }
  return date;
}

function actorAt(value: unknown, path: string): RecordedActor {
  const actor = object(value, path);
  const { subject, role, agency } = actor;
  if (typeof subject !== 'string' || subject === '') {
    throw new InvalidInputError(`${path}.subject`, 'is required');
  }
  if (typeof role !== 'string' || role === '')
    throw new InvalidInputError(`${path}.role`, 'is required');
  // Recorded as the actor's agency: the lead agency's id, as stewards' tokens name it.
  if (agency !== undefined && !isAgencyId(agency)) {
    throw new InvalidInputError(`${path}.agency`, `must be an agency id: ${AGENCY_ID_RULE}`);
  }
  return agency === undefined ? { subject, role } : { subject, role, agency };
}

/**
 * The commands an import file stands for, in order (docs/import.md). Each command id is
 * derived from the commitment and the entry (`import:<commitmentId>:milestone:<id>`), so
 * importing the same file again records nothing new, and a file that changed an entry already
 * imported is refused (COMMAND_ID_REUSED) rather than silently ignored. Two entries with the
 * same code (whatever its case) make the file malformed: only one of them could be recorded.
 * @throws InvalidInputError naming the JSON path of the first malformed entry.
 */
export function importSteps(file: unknown): ImportStep[] {
  const root = object(file, '$');
  if (root.format !== IMPORT_FORMAT) {
    throw new InvalidInputError('format', `must be "${IMPORT_FORMAT}"`);
  }
  const defaultActor = actorAt(root.actor, 'actor');
  const steps: ImportStep[] = [];
  const codes = new Map<string, string>();
  list(root.commitments, 'commitments').forEach((entry, i) => {
    const at = `commitments[${i}]`;
    const {
      milestones,
      budget,
      updates,
      registeredAt,
      publishedAt,
      actor: entryActor,
      ...fields
    } = object(entry, at);
    const commitmentId = fields.commitmentId;
    if (typeof commitmentId !== 'string' || commitmentId === '') {
      throw new InvalidInputError(`${at}.commitmentId`, 'is required');
    }
    if (typeof fields.code === 'string') {
      const first = codes.get(normalizedCode(fields.code));
      if (first !== undefined) {
        throw new InvalidInputError(
          `${at}.code`,
          `is the code of ${first} too (codes are unique, whatever their case)`,
        );
      }
      codes.set(normalizedCode(fields.code), at);
    }
    const actor = entryActor === undefined ? defaultActor : actorAt(entryActor, `${at}.actor`);
    const id = (suffix: string) => `import:${commitmentId}:${suffix}`;
    const registered = instant(registeredAt, `${at}.registeredAt`);
    steps.push({
      path: at,
      commandId: id('register'),
      occurredAt: registered,
      actor,
      command: { type: 'RegisterCommitment', data: fields } as unknown as CommitmentCommand,
    });
    list(milestones, `${at}.milestones`).forEach((milestone, k) => {
      const data = object(milestone, `${at}.milestones[${k}]`);
      steps.push({
        path: `${at}.milestones[${k}]`,
        commandId: id(`milestone:${String(data.milestoneId)}`),
        occurredAt: registered,
        actor,
        command: { type: 'AddMilestone', data: { ...data, commitmentId } } as CommitmentCommand,
      });
    });
    if (publishedAt !== undefined) {
      steps.push({
        path: `${at}.publishedAt`,
        commandId: id('publish'),
        occurredAt: instant(publishedAt, `${at}.publishedAt`),
        actor,
        command: { type: 'PublishCommitment', data: { commitmentId } },
      });
    }
    list(budget, `${at}.budget`).forEach((line, k) => {
      const { recordedAt, ...data } = object(line, `${at}.budget[${k}]`);
      steps.push({
        path: `${at}.budget[${k}]`,
        commandId: id(`budget:${String(data.lineId)}:${String(data.phase)}:${k}`),
        occurredAt: instant(recordedAt, `${at}.budget[${k}].recordedAt`),
        actor,
        command: { type: 'RecordBudget', data: { ...data, commitmentId } } as CommitmentCommand,
      });
    });
    list(updates, `${at}.updates`).forEach((update, k) => {
      const path = `${at}.updates[${k}]`;
      const { type, occurredAt, actor: updateActor, data } = object(update, path);
      if (!COMMAND_TYPES.includes(type as CommitmentCommandType) || type === 'RegisterCommitment') {
        throw new InvalidInputError(
          `${path}.type`,
          `must be a command other than RegisterCommitment (${COMMAND_TYPES.slice(1).join(', ')})`,
        );
      }
      steps.push({
        path,
        commandId: id(`update:${k}`),
        occurredAt: instant(occurredAt, `${path}.occurredAt`),
        actor: updateActor === undefined ? actor : actorAt(updateActor, `${path}.actor`),
        command: {
          type,
          data: { ...object(data ?? {}, `${path}.data`), commitmentId },
        } as CommitmentCommand,
      });
    });
  });
  return steps;
}

/**
 * Runs the steps in order through the command handler, as trusted issuers (whoever can run
 * the CLI against the database is trusted already). Stops at the first failure.
 * @throws ImportStepError
 */
export async function runImport(
  handler: CommitmentCommandHandler,
  steps: readonly ImportStep[],
  onStep: (step: ImportStep, result: CommandResult) => void = () => undefined,
): Promise<ImportSummary> {
  const summary: ImportSummary = { commitments: 0, recorded: 0, alreadyRecorded: 0 };
  for (const step of steps) {
    let result: CommandResult;
    try {
      result = await handler.handle({
        command: step.command,
        issuer: { kind: 'trusted', actor: step.actor },
        commandId: step.commandId,
        occurredAt: step.occurredAt,
      });
    } catch (error) {
      throw new ImportStepError(step.path, error);
    }
    if (step.command.type === 'RegisterCommitment') summary.commitments += 1;
    if (result.replayed) summary.alreadyRecorded += 1;
    else summary.recorded += 1;
    onStep(step, result);
  }
  return summary;
}
