import { LedgerError } from '../errors.js';

/** Where a bundle stops matching what the log signed. */
export interface MismatchLocation {
  /** The bundle file, e.g. `events.jsonl`. */
  file?: string;
  /** 1-based line in `file`. */
  lineNumber?: number;
  /** Global position (leaf index) of the event. */
  position?: number;
  /** The event's id, when the line was readable enough to have one. */
  eventId?: string;
  /** Tree size of the checkpoint that failed. */
  checkpointSize?: number;
  /** Why, for people. */
  reason: string;
  /**
   * `leaf`: the line is a well-formed event at its position, but not the one whose leaf hash
   * leaves.bin holds there. That only counts against the event once leaves.bin is shown to
   * give every signed root (BundleVerifier defers it until then).
   */
  kind?: 'leaf';
}

/**
 * The bundle does not verify. Names the first event (position, id, line) or checkpoint (size)
 * that does not match, and why; `cause` keeps the underlying typed error when there is one.
 */
export class VerificationError extends LedgerError {
  readonly location: MismatchLocation;

  constructor(location: MismatchLocation, options?: { cause?: unknown }) {
    super('LEDGER_MISMATCH', describe(location));
    this.location = location;
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

function describe(location: MismatchLocation): string {
  const where: string[] = [];
  if (location.checkpointSize !== undefined)
    where.push(`checkpoint at size ${location.checkpointSize}`);
  if (location.position !== undefined) where.push(`event at position ${location.position}`);
  if (location.eventId !== undefined) where.push(`id ${location.eventId}`);
  if (location.file !== undefined) {
    where.push(
      location.lineNumber === undefined
        ? location.file
        : `${location.file} line ${location.lineNumber}`,
    );
  }
  return `${where.length > 0 ? where.join(', ') : 'bundle'}: ${location.reason}`;
}
