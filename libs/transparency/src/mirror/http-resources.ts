import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import { MAX_ENTRY_BYTES, TILE_WIDTH } from '#ledger';
import { TransparencyError } from '../support/errors.js';
import { messageOf } from '../support/text.js';

/** The largest resource of a log: a full bundle of the longest entries the format frames. */
export const MAX_RESOURCE_BYTES = TILE_WIDTH * (2 + MAX_ENTRY_BYTES);
/** Redirects followed for one resource (a CDN or a proxy may send one or two). */
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface HttpResourcesOptions {
  /** Requests in flight at most, each on a connection kept open for the next (default 16). */
  connections?: number;
  /** How long a connection may stay silent while a resource is awaited (default 60 s). */
  timeoutMs?: number;
}

/**
 * GETs the resources of a log below `base` (`checkpoint`, `tile/0/000`, ...) over HTTP or
 * HTTPS, on keep-alive connections, asking for gzip and inflating what comes compressed. Node's
 * own http client rather than `fetch`: a mirror reads hundreds of thousands of resources, and
 * `fetch`'s web streams cost it about three times the CPU per byte. Redirects are followed; a
 * body larger than any resource of a log can be (MAX_RESOURCE_BYTES, compressed or not) is
 * refused. Failures are TransparencyErrors naming the URL.
 */
export class HttpResources {
  private readonly agents: { 'http:': http.Agent; 'https:': https.Agent };
  private readonly timeoutMs: number;

  constructor(
    private readonly base: URL,
    options: HttpResourcesOptions = {},
  ) {
    const agent = { keepAlive: true, maxSockets: options.connections ?? 16 };
    this.agents = { 'http:': new http.Agent(agent), 'https:': new https.Agent(agent) };
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** The bytes of `resource` (a path below the base) once it answered 200. */
  async get(resource: string): Promise<Uint8Array> {
    let url = new URL(resource, this.base);
    for (let redirects = 0; ; redirects++) {
      const answer = await this.request(url);
      if (answer.status === 200) return answer.body;
      const location = answer.location;
      if (REDIRECTS.has(answer.status) && location !== undefined && redirects < MAX_REDIRECTS) {
        url = new URL(location, url);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
          throw new TransparencyError(`${url.href} is not an http or https URL to follow`);
        }
        continue;
      }
      const text = new TextDecoder().decode(answer.body).trim().slice(0, 200);
      throw new TransparencyError(
        `${url.href} answered ${answer.status}${text ? `: ${text}` : ''}`,
      );
    }
  }

  /** Closes the connections kept open. */
  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  private request(url: URL): Promise<{ status: number; location?: string; body: Uint8Array }> {
    const protocol = url.protocol as 'http:' | 'https:';
    const client = protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const fail = (reason: string) => reject(new TransparencyError(`${url.href} ${reason}`));
      const request = client.get(
        url,
        {
          agent: this.agents[protocol],
          headers: { 'accept-encoding': 'gzip', 'user-agent': 'cuenta-mirror' },
          timeout: this.timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let length = 0;
          response.on('data', (chunk: Buffer) => {
            length += chunk.length;
            if (length > MAX_RESOURCE_BYTES) {
              request.destroy();
              fail(`answered more than ${MAX_RESOURCE_BYTES} bytes, more than any tile`);
              return;
            }
            chunks.push(chunk);
          });
          response.on('error', (error) => fail(`broke off its answer: ${messageOf(error)}`));
          response.on('end', () => {
            const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length);
            let body: Buffer;
            try {
              body = decode(raw, response.headers['content-encoding']);
            } catch (error) {
              fail(`answered a body that does not decode: ${messageOf(error)}`);
              return;
            }
            resolve({
              status: response.statusCode ?? 0,
              location: response.headers.location,
              body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
            });
          });
        },
      );
      request.on('timeout', () =>
        request.destroy(new Error(`no answer in ${this.timeoutMs / 1000} s`)),
      );
      request.on('error', (error: NodeJS.ErrnoException) => {
        // A kept connection the server closed as it was reused: ask again on a new one.
        if (request.reusedSocket && error.code === 'ECONNRESET') {
          resolve(this.request(url));
          return;
        }
        reject(new TransparencyError(`cannot reach ${url.href}: ${messageOf(error)}`));
      });
    });
  }
}

/** `body` as sent with Content-Encoding `encoding` (gzip, as asked, or what a proxy chose). */
function decode(body: Buffer, encoding: string | undefined): Buffer {
  const limit = { maxOutputLength: MAX_RESOURCE_BYTES };
  switch (encoding?.trim().toLowerCase()) {
    case undefined:
    case '':
    case 'identity':
      return body;
    case 'gzip':
    case 'x-gzip':
      return zlib.gunzipSync(body, { ...limit, chunkSize: outputSizeHint(body) });
    case 'deflate':
      return zlib.inflateSync(body, limit);
    case 'br':
      return zlib.brotliDecompressSync(body, limit);
    default:
      throw new Error(`Content-Encoding ${encoding} was not asked for`);
  }
}

/**
 * Room for the whole output of a gzip member in one piece: its last 4 bytes are its size
 * (modulo 2^32), so zlib writes into one buffer instead of 16 KiB pieces it then copies into
 * one. Only a hint: a wrong one costs copies, a lying one at most MAX_RESOURCE_BYTES.
 */
function outputSizeHint(body: Buffer): number {
  const size = body.length >= 18 ? body.readUInt32LE(body.length - 4) : 0;
  // One byte more than the output, so zlib does not take a full buffer for a sign of more.
  return Math.max(zlib.constants.Z_MIN_CHUNK, Math.min(size, MAX_RESOURCE_BYTES) + 1);
}
