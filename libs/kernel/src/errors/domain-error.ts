/**
 * How the API should treat a domain failure: the entity is missing, the input breaks a rule
 * on its own, or the input is fine but the current state forbids it.
 */
export type DomainErrorCategory = 'NOT_FOUND' | 'INVALID_INPUT' | 'CONFLICT';

/**
 * Base of every failure the pure domain reports. It stays free of the platform's errors so
 * that `domain/` depends on nothing; the API layer maps `code` (stable, one per failure) and
 * `category` in one place. Messages are for people and may change; callers switch on `code`.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly category: DomainErrorCategory;
  /** The command field the failure is about, as a dotted path (`evidence.0.sha256`). */
  readonly field?: string;

  constructor(message: string, field?: string) {
    super(message);
    this.name = new.target.name;
    if (field !== undefined) this.field = field;
  }
}
