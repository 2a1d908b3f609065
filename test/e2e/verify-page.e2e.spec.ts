import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  cosignCheckpoint,
  generateSignerKey,
  verifierKeyFor,
  witnessVerifierKeyFor,
} from '#ledger';
import { PostgresEventStore } from '#event-store';
import { PostgresLedger, type StoredCheckpoint } from '#transparency';
import { launchChromium } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startServer, type ServerProcess } from '../support/server.js';

const origin = 'cuenta.example/cartagena';
const witnessKey = generateSignerKey('contraloria.example/witness');
const actor = { subject: 'planeacion-ana', role: 'steward', agency: 'planeacion' };
const SIZE = 20;
const POSITION = 7;

describe('the verification page and the explorer in a real Chromium', () => {
  let database: TestDatabase;
  let dir: string;
  let logKey: string;
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Every URL the page asked for, documents, scripts, styles and fetches alike. */
  let requests: string[];
  /** What the browser refused under the page's Content-Security-Policy. */
  let refusals: string[];
  let proof: string;
  let canonical: string;
  let latest: StoredCheckpoint;

  const graphql = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data: Record<string, unknown>; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };

  const openVerifyPage = async () => {
    await page.goto(`${server.url}/verify`);
    await page.waitForSelector('#page[data-ready="true"]');
  };

  const verifyPasted = async (args: { proof: string; event: string; witnesses?: string }) => {
    await page.fill('#proof', args.proof);
    await page.fill('#event', args.event);
    await page.fill('#witnesses', args.witnesses ?? '');
    await page.click('#verify');
    await page.waitForSelector('#result[data-verified]');
  };

  const resultText = async () => ({
    verified: await page.getAttribute('#result', 'data-verified'),
    verdict: await page.textContent('#verdict'),
    proven: await page.locator('#proven li').allTextContents(),
    notProven: await page.locator('#not-proven li').allTextContents(),
    failures: await page.locator('#failures li').allTextContents(),
  });

  const expectOnlyThisServer = () => {
    expect(requests.length).toBeGreaterThan(0);
    const foreign = requests.filter((url) => new URL(url).origin !== server.url);
    expect(foreign).toEqual([]);
    expect(refusals).toEqual([]);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-verify-page-e2e-'));
    logKey = generateSignerKey(origin);
    await writeFile(path.join(dir, 'log.key'), logKey + '\n', { mode: 0o600 });
    const store = await PostgresEventStore.open({ connectionString: database.url });
    const ledger = new PostgresLedger(store.pool, {
      origin,
      signerKey: logKey,
      witnessKeys: [witnessVerifierKeyFor(witnessKey)],
    });
    await store.append(
      'commitment-verify',
      Array.from({ length: SIZE }, (_, i) => ({
        type: 'ProgressReported',
        data: { i, note: `avance ${i} — ñandú` },
        metadata: { actor },
      })),
      'any',
    );
    latest = (await ledger.signCheckpoint()) as StoredCheckpoint;
    await ledger.addCosignature({
      size: latest.size,
      line: cosignCheckpoint({
        signerKey: witnessKey,
        checkpointBody: latest.note.slice(0, latest.note.indexOf('\n\n') + 1),
        timestamp: 1_700_000_000,
      }),
    });
    await store.close();
    server = await startServer({
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dir,
      CUENTA_LOG_KEY_FILE: path.join(dir, 'log.key'),
      CUENTA_CHECKPOINT_INTERVAL_SECONDS: '86400',
      CUENTA_CHECKPOINT_EVERY_EVENTS: '1000000',
    });
    const data = await graphql(
      `
        query ($p: Int!) {
          tlogProof(position: $p)
          inclusionProof(position: $p) {
            event {
              canonical
            }
          }
        }
      `,
      { p: POSITION },
    );
    proof = data.tlogProof as string;
    canonical = (data.inclusionProof as { event: { canonical: string } }).event.canonical;
    browser = await launchChromium();
  }, 120_000);

  beforeEach(async () => {
    context = await browser.newContext({ locale: 'en-US' });
    page = await context.newPage();
    requests = [];
    page.on('request', (request) => requests.push(request.url()));
    refusals = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) refusals.push(message.text());
    });
  });

  afterEach(async () => {
    await context?.close();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves the page with a policy that allows nothing but this server', async () => {
    const response = await fetch(`${server.url}/verify`);
    expect(response.status).toBe(200);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
    expect(policy).not.toMatch(/https?:|\*|unsafe/);
    const html = await response.text();
    expect(html).toContain(verifierKeyFor(logKey));
    // No path leaves the folders it serves.
    for (const outside of [
      '/verify/ledger/..%2F..%2F..%2F..%2Fpackage.json',
      '/verify/app/%2E%2E/verify-page.controller.js',
      '/verify/vendor/noble-curves/package.json',
      '/graphql-explorer/package.json',
    ]) {
      expect((await fetch(`${server.url}${outside}`)).status).toBe(404);
    }
  });

  it('verifies a pasted proof in the browser: inclusion, the log signature and a witness', async () => {
    await openVerifyPage();
    expect(await page.inputValue('#log-key')).toBe(verifierKeyFor(logKey));
    await verifyPasted({ proof, event: canonical, witnesses: witnessVerifierKeyFor(witnessKey) });
    const result = await resultText();
    expect(result).toMatchObject({ verified: 'true', verdict: 'VERIFIED', failures: [] });
    expect(result.proven.join('\n')).toContain(
      `is at position ${POSITION} of the log of size ${SIZE}`,
    );
    expect(result.proven.join('\n')).toContain(`signed by the key ${origin}+`);
    expect(result.proven.join('\n')).toContain(
      'The witness contraloria.example/witness+' +
        `${witnessVerifierKeyFor(witnessKey).split('+')[1]} cosigned it (2023-11-14T22:13:20.000Z)`,
    );
    expectOnlyThisServer();
    expect(requests).toContain(`${server.url}/verify/ledger/crypto/crypto.browser.js`);
  });

  it('fails when one byte of the event is altered', async () => {
    await openVerifyPage();
    const altered = canonical.replace(`"i":${POSITION}`, `"i":${POSITION + 1}`);
    expect(altered).not.toBe(canonical);
    await verifyPasted({ proof, event: altered });
    const result = await resultText();
    expect(result).toMatchObject({ verified: 'false', verdict: 'NOT VERIFIED' });
    expect(result.failures.join('\n')).toContain(
      `This event is not at position ${POSITION} of the log of size ${SIZE}`,
    );
  });

  it('fails when one byte of the proof is altered', async () => {
    await openVerifyPage();
    const lines = proof.split('\n');
    const hashLine = lines.findIndex((line, i) => i > 1 && line.length === 44);
    const flipped = lines[hashLine][0] === 'A' ? 'B' : 'A';
    lines[hashLine] = flipped + lines[hashLine].slice(1);
    await verifyPasted({ proof: lines.join('\n'), event: canonical });
    expect(await resultText()).toMatchObject({ verified: 'false', verdict: 'NOT VERIFIED' });
  });

  it('fails against a key that did not sign the checkpoint, and says which key it pinned', async () => {
    await openVerifyPage();
    const otherKey = verifierKeyFor(generateSignerKey(origin));
    await page.fill('#log-key', otherKey);
    expect(await page.textContent('#key-status')).toBe(
      'Warning: the pinned key is not the one this server announces.',
    );
    await verifyPasted({ proof, event: canonical });
    const result = await resultText();
    expect(result).toMatchObject({ verified: 'false', proven: [] });
    expect(result.failures.join('\n')).toContain(
      `not signed by the pinned key ${origin}+${otherKey.split('+')[1]}`,
    );
  });

  it('picks an event by position, fetches it from this server and verifies it, in Spanish', async () => {
    await openVerifyPage();
    await page.click('button[data-lang="es"]');
    await page.fill('#position', String(POSITION));
    await page.click('#fetch');
    await page.waitForSelector('#result[data-verified]');
    const result = await resultText();
    expect(result).toMatchObject({ verified: 'true', verdict: 'VERIFICADO', failures: [] });
    expect(await page.inputValue('#event')).toBe(canonical);
    expect(result.proven.join('\n')).toContain(
      `está en la posición ${POSITION} del registro de tamaño ${SIZE}`,
    );
    // The witness signed, but no key was given for it: said so, not counted as proven.
    expect(result.notProven.join('\n')).toContain(
      'La firma de contraloria.example/witness+' +
        `${witnessVerifierKeyFor(witnessKey).split('+')[1]} no se comprobó: no se dio su clave.`,
    );
    await page.click('button[data-lang="en"]');
    expect(await page.textContent('#verdict')).toBe('VERIFIED');
    expect((await resultText()).notProven.join('\n')).toContain('was not checked: no key given');
    expectOnlyThisServer();
    expect(requests).toContain(`${server.url}/graphql`);
  });

  it('serves the GraphQL explorer from this server alone, and it reads the schema', async () => {
    const introspected = page.waitForResponse(
      (response) =>
        response.url() === `${server.url}/graphql` &&
        response.request().method() === 'POST' &&
        (response.request().postData() ?? '').includes('IntrospectionQuery'),
    );
    await page.goto(`${server.url}/graphql`);
    await page.waitForSelector('.graphiql-container');
    expect((await introspected).status()).toBe(200);
    // Its first query runs against this server and shows the log's identity.
    await page.click('.graphiql-execute-button');
    await page.locator('.result-window', { hasText: origin }).waitFor();
    expectOnlyThisServer();
    expect(requests).toContain(`${server.url}/graphql-explorer/graphiql.min.js`);
  });
});
