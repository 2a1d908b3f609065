import type { CommitmentCommand } from './commitment.commands.js';
import {
  normalizedCode,
  type CommitmentCodeClaimed,
  type CommitmentCodeEvent,
  type CommitmentCodeReleased,
} from './commitment-code.events.js';
import { CommitmentCodeTaken } from './commitment.errors.js';
import type { CommitmentState } from './commitment.state.js';

// The decider of a code's stream. Its state is small enough to keep with its evolve here.

/** Who holds a code: nobody, or one commitment (with the code as that commitment spells it). */
export type CodeHolder =
  { status: 'free' } | { status: 'held'; commitmentId: string; code: string };

export const freeCode: CodeHolder = { status: 'free' };

/** Total, like the commitment's evolve: an event of another type leaves the state as it is. */
export function evolveCodeHolder(state: CodeHolder, event: CommitmentCodeEvent): CodeHolder {
  switch (event.type) {
    case 'CommitmentCodeClaimed':
      return { status: 'held', commitmentId: event.data.commitmentId, code: event.data.code };
    case 'CommitmentCodeReleased':
      return { status: 'free' };
    default: {
      // Compile-time exhaustiveness; at run time an unknown type changes nothing.
      const _unknown: never = event;
      return state;
    }
  }
}

/**
 * Claims `code` for `commitmentId`: allowed when the code is free or already held by that
 * commitment (a retry, or a claim left by a registration that did not complete).
 * @throws CommitmentCodeTaken naming `field` when another commitment holds the code.
 */
export function claimCode(
  holder: CodeHolder,
  claim: { code: string; commitmentId: string; field: string },
): CommitmentCodeClaimed {
  if (holder.status === 'held' && holder.commitmentId !== claim.commitmentId) {
    throw new CommitmentCodeTaken({
      commitmentCode: claim.code,
      heldBy: holder.commitmentId,
      field: claim.field,
    });
  }
  return {
    type: 'CommitmentCodeClaimed',
    data: { code: claim.code, commitmentId: claim.commitmentId },
  };
}

/** Releases the code if `commitmentId` holds it; otherwise there is nothing to release. */
export function releaseCode(holder: CodeHolder, commitmentId: string): CommitmentCodeReleased[] {
  if (holder.status !== 'held' || holder.commitmentId !== commitmentId) return [];
  return [{ type: 'CommitmentCodeReleased', data: { code: holder.code, commitmentId } }];
}

/**
 * The code a command gives the commitment, when it changes it (a registration, a revision, or
 * a correction of either): `from` is the code before (absent for a registration). A change of
 * case only is no change.
 */
export function codeChange(
  before: CommitmentState,
  after: CommitmentState,
): { from?: string; to: string } | undefined {
  if (after.status === 'empty') return undefined;
  if (before.status === 'empty') return { to: after.code };
  if (normalizedCode(before.code) === normalizedCode(after.code)) return undefined;
  return { from: before.code, to: after.code };
}

/** The input field that set the code, which an error about the code names. */
export function codeFieldOf(command: CommitmentCommand): string {
  switch (command.type) {
    case 'ReviseCommitment':
      return 'changes.code';
    case 'CorrectEvent': {
      const corrected = command.data.corrected;
      if (corrected === undefined) return 'eventId'; // a retraction restores an earlier code
      if ('code' in corrected) return 'corrected.code';
      return 'changes' in corrected ? 'corrected.changes.code' : 'corrected';
    }
    default:
      return 'code';
  }
}
