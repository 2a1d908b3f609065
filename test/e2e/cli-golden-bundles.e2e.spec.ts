import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { VerificationError, verifyBundle } from '#ledger';
import { runNode } from '../support/server.js';
import { CLI } from './cli-harness.js';

// `cuenta verify` on the golden bundles of libs/ledger/test/fixtures/bundle/v2, one per kind
// of tampering: the CLI (streaming, on one thread or on workers fed small chunks) must give the
// verdict the library gives, which signed-leaves.unit.spec.ts pins. No database is involved.

describe('the golden bundles of each kind of tampering, through cuenta verify', () => {
  const GOLDEN = 'libs/ledger/test/fixtures/bundle/v2';
  const logKey = readFileSync('libs/ledger/test/fixtures/checkpoint/test-log.vkey', 'utf8').trim();

  /** What the library says of a golden bundle (pinned by signed-leaves.unit.spec.ts). */
  function libraryVerdict(dir: string): string {
    const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
    try {
      verifyBundle({
        files: {
          manifest: read('manifest.json'),
          events: read('events.jsonl'),
          checkpoints: read('checkpoints.jsonl'),
          leaves: new Uint8Array(readFileSync(path.join(dir, 'leaves.bin'))),
        },
        origin: 'cuenta.test/log',
        logKey,
      });
      return 'verified';
    } catch (error) {
      if (!(error instanceof VerificationError)) throw error;
      return `cuenta verify: ${dir} does not verify: ${error.message}\n`;
    }
  }

  it.each(readdirSync(GOLDEN).filter((name) => !name.endsWith('.ts')))(
    '%s: the same verdict on one thread and on workers with small chunks',
    async (name) => {
      const dir = path.join(GOLDEN, name);
      const verify = (args: string[]) =>
        runNode(CLI, ['verify', dir, '--key', logKey, ...args], {});
      const [one, workers] = await Promise.all([
        verify(['--workers', '0']),
        verify(['--workers', '2', '--chunk-bytes', '4096']),
      ]);
      const verdict = libraryVerdict(dir);
      if (verdict === 'verified') {
        expect(name).toBe('cartagena-12-events');
        expect([one.code, workers.code]).toEqual([0, 0]);
        expect(one.stdout).toContain(`verified ${dir}: 12 events and 3 checkpoints`);
      } else {
        expect([one.code, workers.code]).toEqual([1, 1]);
        expect(one.stderr).toBe(verdict);
        expect(workers.stderr).toBe(verdict);
      }
    },
  );
});
