import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { CuentaLogger } from './cuenta-logger.js';
import { chooseRequestId, withRequestId } from './request-id.js';

describe('CuentaLogger', () => {
  let written: string[];

  beforeEach(() => {
    written = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('writes one JSON object per line, with the request id inside a request', () => {
    const logger = new CuentaLogger({ logLevel: 'debug', logFormat: 'json' });
    logger.log('outside', 'Cuenta');
    withRequestId('request-0001', () => logger.debug('refused: FORBIDDEN', 'GraphQL'));
    const lines = written.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      {
        level: 'log',
        pid: process.pid,
        timestamp: expect.any(Number),
        message: 'outside',
        context: 'Cuenta',
      },
      {
        level: 'debug',
        pid: process.pid,
        timestamp: expect.any(Number),
        message: 'refused: FORBIDDEN',
        context: 'GraphQL',
        requestId: 'request-0001',
      },
    ]);
  });

  it('writes readable lines with the request id after the context', () => {
    const logger = new CuentaLogger({ logLevel: 'log', logFormat: 'pretty' });
    withRequestId('request-0002', () => logger.log('served', 'GraphQL'));
    logger.debug('below the level', 'GraphQL');
    expect(written).toHaveLength(1);
    expect(written[0]).toContain('LOG');
    expect(written[0]).toContain('[GraphQL]');
    expect(written[0]).toContain('[request-0002]');
    expect(written[0]).toContain('served');
  });
});

describe('chooseRequestId', () => {
  it("keeps a caller's sane id", () => {
    expect(chooseRequestId('0af7651916cd43dd8448eb211c80319c')).toBe(
      '0af7651916cd43dd8448eb211c80319c',
    );
    expect(chooseRequestId(['trace-id:1.2_3', 'second'])).toBe('trace-id:1.2_3');
  });

  it('replaces a missing, short, long or unusual one with a fresh UUID', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const incoming of [
      undefined,
      '',
      'abc',
      'x'.repeat(129),
      'name=Ana López',
      'a\nb-123456',
    ]) {
      expect(chooseRequestId(incoming)).toMatch(uuid);
    }
  });
});
