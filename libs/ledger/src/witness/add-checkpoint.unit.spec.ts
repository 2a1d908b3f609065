import { describe, expect, it } from '@jest/globals';
import { formatCheckpoint } from '../checkpoint/checkpoint.js';
import { emptyRoot, leafHash, rootOf } from '../merkle/hash.js';
import { planConsistency } from '../merkle/proof-plan.js';
import { generateSignerKey, parseVerifierKey, verifierKeyFor } from '../note/keys.js';
import { signNote } from '../note/note.js';
import {
  decideAddCheckpoint,
  formatAddCheckpointRequest,
  parseAddCheckpointRequest,
  type AddCheckpointRequest,
  type WitnessedCheckpoint,
} from './add-checkpoint.js';

const ORIGIN = 'cuenta.example/log';
const logSigner = generateSignerKey(ORIGIN);
const logKey = parseVerifierKey(verifierKeyFor(logSigner));
const leaves = Array.from({ length: 7 }, (_, n) => leafHash(new Uint8Array([n])));

function signed(size: number, root = size === 0 ? emptyRoot() : rootOf(leaves.slice(0, size))) {
  return signNote(formatCheckpoint({ origin: ORIGIN, size, rootHash: root }), [logSigner]);
}

function proof(from: number, to: number): Uint8Array[] {
  const plan = planConsistency(from, to);
  return plan.assemble(
    plan.nodes.map(({ level, index }) =>
      rootOf(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level)),
    ),
  );
}

function decide(request: AddCheckpointRequest, latest?: WitnessedCheckpoint) {
  return decideAddCheckpoint({
    request,
    trustedKeys: (origin) => (origin === ORIGIN ? [logKey] : undefined),
    latest,
  });
}

const at3 = { size: 3, rootHash: rootOf(leaves.slice(0, 3)) };

describe('add-checkpoint request bodies', () => {
  it('round-trips the old size, the proof lines and the note', () => {
    const request = { oldSize: 3, proof: proof(3, 7), checkpoint: signed(7) };
    const body = formatAddCheckpointRequest(request);
    expect(body.startsWith('old 3\n')).toBe(true);
    expect(body).toContain(`\n\n${ORIGIN}\n7\n`);
    expect(parseAddCheckpointRequest(body)).toEqual(request);
  });

  it('answers 400 to a malformed body', () => {
    for (const body of ['', 'old 03\n\nx', 'old -1\n\nx', 'new 1\n\nx', 'old 1\nnot-base64\n\nx']) {
      expect(parseAddCheckpointRequest(body)).toMatchObject({ status: 400 });
    }
    const tooLong = `old 1\n${'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n'.repeat(64)}\nx`;
    expect(parseAddCheckpointRequest(tooLong)).toMatchObject({
      status: 400,
      reason: expect.stringContaining('more than 63'),
    });
  });
});

describe('decideAddCheckpoint', () => {
  it('cosigns a first checkpoint from 0, and a consistent one from the size cosigned', () => {
    expect(decide({ oldSize: 0, proof: [], checkpoint: signed(3) })).toMatchObject({
      cosign: true,
      checkpoint: { size: 3 },
    });
    expect(decide({ oldSize: 3, proof: proof(3, 7), checkpoint: signed(7) }, at3)).toMatchObject({
      cosign: true,
      checkpoint: { size: 7 },
    });
    expect(decide({ oldSize: 3, proof: [], checkpoint: signed(3) }, at3)).toMatchObject({
      cosign: true,
    });
  });

  it('answers 404 for an unknown origin', () => {
    const other = generateSignerKey('other.example/log');
    const note = signNote(
      formatCheckpoint({ origin: 'other.example/log', size: 0, rootHash: emptyRoot() }),
      [other],
    );
    expect(decide({ oldSize: 0, proof: [], checkpoint: note })).toMatchObject({ status: 404 });
  });

  it("answers 403 when no trusted key signed, or a trusted key's signature is bad", () => {
    const impostor = generateSignerKey(ORIGIN);
    const unsigned = signNote(
      formatCheckpoint({ origin: ORIGIN, size: 3, rootHash: at3.rootHash }),
      [impostor],
    );
    expect(decide({ oldSize: 0, proof: [], checkpoint: unsigned })).toMatchObject({ status: 403 });
    const note = signed(3);
    const sigAt = note.lastIndexOf(' ') + 5;
    const flipped =
      note.slice(0, sigAt) + (note[sigAt] === 'A' ? 'B' : 'A') + note.slice(sigAt + 1);
    expect(decide({ oldSize: 0, proof: [], checkpoint: flipped })).toMatchObject({ status: 403 });
  });

  it('answers 400 when the old size is larger than the checkpoint (a rollback)', () => {
    expect(decide({ oldSize: 3, proof: [], checkpoint: signed(2) }, at3)).toMatchObject({
      status: 400,
    });
  });

  it('answers 409 with its size when the old size is not the size it cosigned', () => {
    expect(decide({ oldSize: 0, proof: [], checkpoint: signed(7) }, at3)).toMatchObject({
      status: 409,
      size: 3,
    });
    expect(decide({ oldSize: 3, proof: proof(3, 7), checkpoint: signed(7) })).toMatchObject({
      status: 409,
      size: 0,
    });
    // A rollback below the size cosigned, sent from a smaller old size, is a conflict too.
    expect(decide({ oldSize: 1, proof: proof(1, 2), checkpoint: signed(2) }, at3)).toMatchObject({
      status: 409,
      size: 3,
    });
  });

  it('answers 422 for a bad proof, a proof from 0, a non-empty root at 0, and a fork', () => {
    expect(decide({ oldSize: 3, proof: proof(2, 7), checkpoint: signed(7) }, at3)).toMatchObject({
      status: 422,
    });
    expect(decide({ oldSize: 0, proof: proof(3, 7), checkpoint: signed(7) })).toMatchObject({
      status: 422,
    });
    expect(decide({ oldSize: 0, proof: [], checkpoint: signed(0, at3.rootHash) })).toMatchObject({
      status: 422,
    });
    const forked = signed(3, rootOf(leaves.slice(1, 4)));
    expect(decide({ oldSize: 3, proof: [], checkpoint: forked }, at3)).toMatchObject({
      status: 422,
      reason: expect.stringContaining('fork'),
    });
    const forkedLater = signed(7, rootOf(leaves.slice(0, 6)));
    expect(decide({ oldSize: 3, proof: proof(3, 7), checkpoint: forkedLater }, at3)).toMatchObject({
      status: 422,
    });
  });
});
