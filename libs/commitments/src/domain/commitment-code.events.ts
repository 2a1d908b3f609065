/**
 * A commitment's code is unique across commitments, compared without regard to case
 * (`CartagenaCuenta-2023` and `cartagenacuenta-2023` are the same code). The log enforces it
 * with a stream per code that records which commitment holds it (a reservation): a
 * commitment claims a code there before its own stream records the code, and releases it
 * after its stream records another one.
 */
export type CommitmentCodeClaimed = {
  type: 'CommitmentCodeClaimed';
  /** `code` as the commitment spells it. */
  data: { code: string; commitmentId: string };
};

export type CommitmentCodeReleased = {
  type: 'CommitmentCodeReleased';
  data: { code: string; commitmentId: string };
};

export type CommitmentCodeEvent = CommitmentCodeClaimed | CommitmentCodeReleased;

/** What two codes are compared by: the code in lower case (codes are ASCII letters and digits). */
export function normalizedCode(code: string): string {
  return code.toLowerCase();
}

/**
 * Every code stream's id starts with this. Not `commitment-`: that prefix selects commitment
 * streams (the commitments projection reads by it), and `code-x` is a valid commitment id.
 */
export const COMMITMENT_CODE_STREAM_PREFIX = 'commitment.code-';

/** The stream that says which commitment holds `code`, e.g. `commitment.code-ctg-0001`. */
export function commitmentCodeStream(code: string): string {
  return `${COMMITMENT_CODE_STREAM_PREFIX}${normalizedCode(code)}`;
}
