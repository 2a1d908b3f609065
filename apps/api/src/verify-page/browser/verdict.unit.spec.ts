import { describe, expect, it } from '@jest/globals';
import {
  canonicalize,
  cosignCheckpoint,
  formatCheckpoint,
  formatTlogProof,
  generateSignerKey,
  leafHash,
  nodeHash,
  signNote,
  utf8,
  verifierKeyFor,
  witnessVerifierKeyFor,
} from '#ledger';
import { describeFailure, describeFinding } from './messages.js';
import { verifyProofForCitizen, type VerifyInput } from './verdict.js';

const origin = 'cuenta.example/cartagena';
const logSigner = generateSignerKey(origin);
const witnessSigner = generateSignerKey('contraloria.example/witness');
const otherWitness = generateSignerKey('defensoria.example/witness');
const LOG_KEY = verifierKeyFor(logSigner);
const WITNESS_KEY = witnessVerifierKeyFor(witnessSigner);
const label = (key: string) => key.split('+').slice(0, 2).join('+');

// A three-event log; the proof is for the last one (index 2): its sibling is the hash of 0 and 1.
const events = [0, 1, 2].map((i) => canonicalize({ id: `e${i}`, type: 'ProgressReported', i }));
const hashes = events.map((e) => leafHash(utf8(e)));
const left = nodeHash(hashes[0], hashes[1]);
const body = formatCheckpoint({ origin, size: 3, rootHash: nodeHash(left, hashes[2]) });
const cosignature = cosignCheckpoint({
  signerKey: witnessSigner,
  checkpointBody: body,
  timestamp: 1_700_000_000,
});
const signed = signNote(body, [logSigner]) + cosignature;
const proof = formatTlogProof({ index: 2, inclusionProof: [left], signedCheckpoint: signed });
const input: VerifyInput = { proof, event: events[2], logKey: LOG_KEY, witnessKeys: [] };

describe('the verification page verdict', () => {
  it('proves inclusion and the log signature, and says the unknown signature was not checked', () => {
    const verdict = verifyProofForCitizen(input);
    expect(verdict.verified).toBe(true);
    expect(verdict.failures).toEqual([]);
    expect(verdict.proven.map((f) => f.key)).toEqual(['included', 'signed-by-log']);
    expect(verdict.proven[0]).toMatchObject({ index: 2, size: 3 });
    expect(verdict.notProven).toEqual([
      { key: 'no-key-for-signature', signer: label(WITNESS_KEY) },
      { key: 'not-about-content' },
    ]);
  });

  it('counts a cosignature as proven only with the witness key, and names a witness that did not sign', () => {
    const verdict = verifyProofForCitizen({
      ...input,
      witnessKeys: ['', WITNESS_KEY, witnessVerifierKeyFor(otherWitness)],
    });
    expect(verdict.verified).toBe(true);
    expect(verdict.proven).toContainEqual({
      key: 'cosigned',
      witness: label(WITNESS_KEY),
      time: '2023-11-14T22:13:20.000Z',
    });
    expect(verdict.notProven).toContainEqual({
      key: 'witness-did-not-cosign',
      witness: label(witnessVerifierKeyFor(otherWitness)),
    });
    expect(verdict.notProven.map((f) => f.key)).not.toContain('no-key-for-signature');
  });

  it('canonicalizes an event pasted as other JSON of the same value, and says so', () => {
    const pretty = JSON.stringify(JSON.parse(events[2]), null, 2);
    const verdict = verifyProofForCitizen({ ...input, event: pretty });
    expect(verdict.verified).toBe(true);
    expect(verdict.notProven).toContainEqual({ key: 'event-canonicalized' });
    expect(
      verifyProofForCitizen({ ...input, event: `${events[2]}\n` }).notProven,
    ).not.toContainEqual({ key: 'event-canonicalized' });
  });

  it('fails when the event is another one, keeping the signature it did prove', () => {
    const verdict = verifyProofForCitizen({ ...input, event: events[1] });
    expect(verdict.verified).toBe(false);
    expect(verdict.failures).toMatchObject([{ key: 'not-included', index: 2, size: 3 }]);
    expect(verdict.proven.map((f) => f.key)).toEqual(['signed-by-log']);
  });

  it('fails against another log key, naming the key it pinned', () => {
    const other = verifierKeyFor(generateSignerKey(origin));
    const verdict = verifyProofForCitizen({ ...input, logKey: other });
    expect(verdict).toMatchObject({ verified: false, proven: [] });
    expect(verdict.failures).toMatchObject([{ key: 'not-signed-by-log', logKey: label(other) }]);
  });

  it('fails on a witness signature that does not verify', () => {
    const forged = cosignCheckpoint({
      signerKey: witnessSigner,
      checkpointBody: formatCheckpoint({ origin, size: 3, rootHash: left }),
      timestamp: 1_700_000_000,
    });
    const verdict = verifyProofForCitizen({
      ...input,
      proof: formatTlogProof({
        index: 2,
        inclusionProof: [left],
        signedCheckpoint: signNote(body, [logSigner]) + forged,
      }),
      witnessKeys: [WITNESS_KEY],
    });
    expect(verdict.verified).toBe(false);
    expect(verdict.failures).toEqual([{ key: 'bad-cosignature', witness: label(WITNESS_KEY) }]);
  });

  it('refuses bad input naming what is wrong', () => {
    const failureOf = (changes: Partial<VerifyInput>) =>
      verifyProofForCitizen({ ...input, ...changes }).failures[0];
    expect(failureOf({ logKey: 'not a key' })).toMatchObject({ key: 'bad-log-key' });
    expect(failureOf({ witnessKeys: [WITNESS_KEY, 'nope'] })).toMatchObject({
      key: 'bad-witness-key',
      line: 2,
    });
    expect(failureOf({ proof: 'hello' })).toMatchObject({ key: 'bad-proof' });
    expect(failureOf({ event: '{"id": ' })).toMatchObject({ key: 'bad-event' });
    expect(
      failureOf({ proof: proof.replace(`\n${origin}\n`, '\ncuenta.example/other\n') }),
    ).toMatchObject({
      key: 'not-signed-by-log',
    });
  });

  it('words every finding and failure in Spanish and in English', () => {
    const verdicts = [
      verifyProofForCitizen({
        ...input,
        witnessKeys: [WITNESS_KEY, witnessVerifierKeyFor(otherWitness)],
      }),
      verifyProofForCitizen({ ...input, event: JSON.stringify(JSON.parse(events[1]), null, 1) }),
      verifyProofForCitizen(input),
      verifyProofForCitizen({ ...input, logKey: 'x' }),
    ];
    for (const verdict of verdicts) {
      for (const language of ['es', 'en'] as const) {
        for (const finding of [...verdict.proven, ...verdict.notProven]) {
          expect(describeFinding(finding, language)).toMatch(/\S{3}/);
        }
        for (const failure of verdict.failures) {
          expect(describeFailure(failure, language)).toMatch(/\S{3}/);
        }
      }
    }
    expect(describeFinding({ key: 'no-key-for-signature', signer: 'w+1' }, 'es')).toBe(
      'La firma de w+1 no se comprobó: no se dio su clave.',
    );
    expect(describeFinding({ key: 'no-key-for-signature', signer: 'w+1' }, 'en')).toBe(
      'The signature of w+1 was not checked: no key given.',
    );
  });
});
