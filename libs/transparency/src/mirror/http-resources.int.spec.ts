import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransparencyError } from '../support/errors.js';
import { HttpResources, MAX_RESOURCE_BYTES } from './http-resources.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const BODY = Buffer.from('{"position":7,"note":"ñandú"}\n'.repeat(100));

describe('HttpResources', () => {
  let server: Server;
  let base: URL;
  const connections: unknown[] = [];
  const asked: { url?: string; encoding?: string }[] = [];

  const routes: Record<string, (request: IncomingMessage, response: ServerResponse) => void> = {
    '/log/plain': (_, response) => response.end(BODY),
    '/log/gzip': (_, response) =>
      response.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(BODY)),
    '/log/deflate': (_, response) =>
      response.writeHead(200, { 'content-encoding': 'deflate' }).end(deflateSync(BODY)),
    '/log/br': (_, response) =>
      response.writeHead(200, { 'content-encoding': 'br' }).end(brotliCompressSync(BODY)),
    '/log/moved': (_, response) => response.writeHead(301, { location: '/log/gzip' }).end(),
    '/log/loop': (_, response) => response.writeHead(302, { location: '/log/loop' }).end(),
    '/log/missing': (_, response) =>
      response
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('tile/0/009 is beyond the log\n'),
    '/log/huge': (_, response) => response.end(Buffer.alloc(MAX_RESOURCE_BYTES + 1)),
    '/log/bomb': (_, response) =>
      response
        .writeHead(200, { 'content-encoding': 'gzip' })
        .end(gzipSync(Buffer.alloc(MAX_RESOURCE_BYTES + 1))),
    '/log/corrupt': (_, response) =>
      response.writeHead(200, { 'content-encoding': 'gzip' }).end(BODY),
    '/log/zstd': (_, response) => response.writeHead(200, { 'content-encoding': 'zstd' }).end(BODY),
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      asked.push({ url: request.url, encoding: request.headers['accept-encoding'] });
      (routes[request.url ?? ''] ?? ((_, r: ServerResponse) => r.writeHead(500).end()))(
        request,
        response,
      );
    });
    server.on('connection', (socket) => connections.push(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/log/`);
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
  });

  it.each(['plain', 'gzip', 'deflate', 'br'])('reads a body sent %s as its bytes', async (path) => {
    const resources = new HttpResources(base);
    try {
      expect(text(await resources.get(path))).toBe(BODY.toString());
    } finally {
      resources.close();
    }
  });

  it('asks for gzip, and reads many resources over one kept connection', async () => {
    const resources = new HttpResources(base, { connections: 1 });
    const before = connections.length;
    const from = asked.length;
    try {
      for (let i = 0; i < 20; i++) await resources.get('gzip');
    } finally {
      resources.close();
    }
    expect(connections.length - before).toBe(1);
    expect(asked.slice(from).map((request) => request.encoding)).toEqual(
      Array.from({ length: 20 }, () => 'gzip'),
    );
  });

  it('follows a redirect', async () => {
    const resources = new HttpResources(base);
    try {
      expect(text(await resources.get('moved'))).toBe(BODY.toString());
    } finally {
      resources.close();
    }
  });

  it.each([
    ['loop', `${'loop'} answered 302`],
    ['missing', 'missing answered 404: tile/0/009 is beyond the log'],
    ['huge', `huge answered more than ${MAX_RESOURCE_BYTES} bytes`],
    ['bomb', 'bomb answered a body that does not decode'],
    ['corrupt', 'corrupt answered a body that does not decode'],
    ['zstd', 'zstd answered a body that does not decode: Content-Encoding zstd was not asked for'],
  ])('refuses %s, naming the URL and why', async (path, reason) => {
    const resources = new HttpResources(base);
    try {
      const error = await resources.get(path).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TransparencyError);
      expect((error as Error).message).toContain(`${base.href}${reason}`);
    } finally {
      resources.close();
    }
  });

  it('says which server it cannot reach', async () => {
    const resources = new HttpResources(new URL('http://127.0.0.1:9/log/'));
    try {
      await expect(resources.get('checkpoint')).rejects.toThrow(
        'cannot reach http://127.0.0.1:9/log/checkpoint: ',
      );
    } finally {
      resources.close();
    }
  });

  it('gives up on a server that stops answering', async () => {
    const silent = createServer(() => undefined);
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const port = (silent.address() as { port: number }).port;
    const resources = new HttpResources(new URL(`http://127.0.0.1:${port}/log/`), {
      timeoutMs: 200,
    });
    try {
      await expect(resources.get('checkpoint')).rejects.toThrow('no answer in 0.2 s');
    } finally {
      resources.close();
      silent.closeAllConnections();
      silent.close();
    }
  });
});
