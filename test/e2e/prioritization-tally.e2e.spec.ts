import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { verifierKeyFor, witnessVerifierKeyFor } from '#ledger';
import { PrioritizationCommandHandler } from '#participation';
import {
  DEMO_PRIORITIZATION_ID,
  prioritizationDemo,
} from '../../libs/participation/demo/prioritization.js';
import { createTestLog, type TestLog } from './cli-harness.js';

// `cuenta tally` as a citizen runs it: on a real export of a real log holding the demo's
// prioritization (opened, twelve ballots with one replaced, closed with its result), with the
// log key pinned. A bundle whose recorded result was computed otherwise cannot be made
// without breaking its verification, so the recount's mismatch is covered by the pure
// tests (prioritization.tally.unit.spec.ts); here a forged ballot is refused by verification.

describe('cuenta tally', () => {
  let log: TestLog;
  let bundle: string;
  let key: string;

  beforeAll(async () => {
    log = await createTestLog();
    await prioritizationDemo.load(log.store);
    await new PrioritizationCommandHandler(log.store).handle({
      command: {
        type: 'OpenPrioritization',
        data: {
          prioritizationId: 'abierto',
          title: 'Un ejercicio aún abierto',
          agencyId: 'alcaldia-cartagena',
          topics: [
            { id: 'a', title: 'A' },
            { id: 'b', title: 'B' },
          ],
          opensAt: '2023-01-01T00:00:00.000Z',
          closesAt: '2099-01-01T00:00:00.000Z',
          method: 'borda',
        },
      },
      issuer: { kind: 'trusted', actor: { subject: 'test', role: 'steward' } },
    });
    bundle = path.join(log.dir, 'bundle');
    const exported = await log.cli(['export', bundle]);
    expect(exported.code).toBe(0);
    key = verifierKeyFor(log.logKey);
  });

  afterAll(async () => {
    await log.close();
  });

  it('verifies the bundle, recounts the exercise and finds the recorded result', async () => {
    const { code, stdout, stderr } = await log.cli([
      'tally',
      bundle,
      DEMO_PRIORITIZATION_ID,
      '--key',
      key,
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`verified ${bundle}: `);
    expect(stdout).toContain('method: borda; 6 candidate topics; 11 ballots counted');
    expect(stdout).toContain(
      '   1. presupuesto-participativo (Presupuesto participativo por localidad): 36 points, 4 first places\n' +
        '   2. contratacion (Contratación pública y obras inconclusas): 33 points, 3 first places\n',
    );
    // Equal on points, told apart by first places (the published tie-break).
    expect(stdout).toContain(
      '   4. deuda-publica (Deuda pública y finanzas del Distrito): 18 points, 1 first place',
    );
    expect(stdout).toContain(
      '   5. inversion-ucg (Inversión en las Unidades Comuneras de Gobierno): 18 points, 0 first places',
    );
    expect(stdout).toContain('MATCH: the recount is the result recorded when the exercise closed');
  });

  it('warns when the log key is not pinned', async () => {
    const { code, stdout } = await log.cli(['tally', bundle, DEMO_PRIORITIZATION_ID]);
    expect(code).toBe(0);
    expect(stdout).toContain('NOT pinned');
  });

  it('counts an exercise still open but has nothing to compare with: exit 1', async () => {
    const { code, stdout, stderr } = await log.cli(['tally', bundle, 'abierto', '--key', key]);
    expect(code).toBe(1);
    expect(stdout).toContain('0 ballots counted');
    expect(stderr).toContain('is not closed in this bundle');
  });

  it('counts nothing from a bundle whose ballot was changed: it does not verify', async () => {
    const forged = path.join(log.dir, 'forged');
    await cp(bundle, forged, { recursive: true });
    const file = path.join(forged, 'events.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n');
    const i = lines.findIndex((line) => line.includes('"type":"BallotCast"'));
    lines[i] = lines[i].replace(
      '"ranking":["presupuesto-participativo"',
      '"ranking":["deuda-publica"',
    );
    expect(lines[i]).toContain('"ranking":["deuda-publica"');
    await writeFile(file, lines.join('\n'));

    const { code, stdout, stderr } = await log.cli([
      'tally',
      forged,
      DEMO_PRIORITIZATION_ID,
      '--key',
      key,
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('does not verify, so nothing in it is counted');
  });

  it('refuses bad arguments with exit 2', async () => {
    const cases: [string[], string][] = [
      [[], 'missing <dir>'],
      [[bundle], '<prioritization-id>'],
      [[path.join(log.dir, 'nowhere'), DEMO_PRIORITIZATION_ID], 'the bundle folder'],
      [
        [bundle, 'no-such-exercise', '--key', key],
        'the bundle holds no prioritization no-such-exercise',
      ],
      [
        [bundle, DEMO_PRIORITIZATION_ID, '--key', witnessVerifierKeyFor(log.witnessKey)],
        '--key must be the log key',
      ],
      [[bundle, DEMO_PRIORITIZATION_ID, '--nope'], 'Unknown option'],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await log.cli(['tally', ...args]);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(stderr).toContain(message);
    }
  });
});
