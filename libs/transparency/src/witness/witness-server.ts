import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  cosignCheckpoint,
  decideAddCheckpoint,
  fromBase64,
  originOf,
  parseAddCheckpointRequest,
  TLOG_SIZE_CONTENT_TYPE,
  toBase64,
  type SignerKey,
} from '#ledger';
import { messageOf } from '../support/text.js';
import { originHash, type WitnessedLogs } from './witnessed-logs.js';

/** A request body larger than this is refused: a checkpoint and 63 hashes fit many times. */
const MAX_BODY_BYTES = 64 * 1024;

export interface WitnessServerOptions {
  /** The witness's own key: it cosigns with it (c2sp.org/tlog-cosignature, Ed25519). */
  witnessKey: SignerKey;
  logs: WitnessedLogs;
  now?: () => Date;
  /** One line per request answered with a refusal or a cosignature. */
  log?: (line: string) => void;
}

interface Answer {
  status: number;
  body: string;
  contentType?: string;
}

/**
 * A witness server (c2sp.org/tlog-witness): `POST /add-checkpoint` cosigns a log's checkpoint
 * once it is signed by the log, consistent with the checkpoint cosigned last and persisted,
 * and refuses otherwise with the specification's status (see libs/ledger's
 * `decideAddCheckpoint`); `GET /<sha256(origin) hex>/checkpoint` serves the latest checkpoint
 * cosigned for a log, with the log's signature and the cosignature. Both prefixes are the
 * server's root.
 */
export function createWitnessServer(options: WitnessServerOptions): Server {
  return createServer((request, response) => {
    void answer(request, options)
      .catch((error: unknown) => {
        options.log?.(`failed: ${messageOf(error)}`);
        return { status: 500, body: 'the witness could not answer; try again\n' };
      })
      .then((reply) => send(response, reply));
  });
}

async function answer(request: IncomingMessage, options: WitnessServerOptions): Promise<Answer> {
  const url = new URL(request.url ?? '/', 'http://witness');
  if (url.pathname === '/add-checkpoint') {
    if (request.method !== 'POST') return methodNotAllowed('POST');
    const body = await readBody(request);
    if (body === undefined) return { status: 413, body: 'the request body is too large\n' };
    return addCheckpoint(body, options);
  }
  const checkpointPath = /^\/([0-9a-f]{64})\/checkpoint$/.exec(url.pathname);
  if (checkpointPath) {
    if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed('GET');
    return latestCheckpoint(checkpointPath[1], options);
  }
  return { status: 404, body: 'not found\n' };
}

async function addCheckpoint(body: string, options: WitnessServerOptions): Promise<Answer> {
  const { logs, witnessKey } = options;
  const request = parseAddCheckpointRequest(body);
  if ('status' in request) return refused(options, '-', request);
  const origin = originOf(request);
  if (origin === undefined) {
    return refused(options, '-', { status: 400, reason: 'the checkpoint is not a signed note' });
  }
  if (!logs.trustedKeys(origin)) {
    const reason = `this witness does not witness the log "${origin}"`;
    return refused(options, origin, { status: 404, reason });
  }
  return logs.update(origin, async (latest) => {
    const decision = decideAddCheckpoint({
      request,
      trustedKeys: (name) => logs.trustedKeys(name),
      latest: latest && { size: latest.size, rootHash: fromBase64(latest.rootHash) as Uint8Array },
    });
    if (!decision.cosign) return { result: refused(options, origin, decision) };
    const now = options.now?.() ?? new Date();
    const timestamp = Math.max(1, Math.floor(now.getTime() / 1000));
    const line = cosignCheckpoint({
      signerKey: witnessKey,
      checkpointBody: decision.body,
      timestamp,
    });
    const { size, rootHash } = decision.checkpoint;
    options.log?.(`cosigned ${origin} at size ${size}`);
    return {
      keep: {
        size,
        rootHash: toBase64(rootHash),
        checkpoint: withSignature(request.checkpoint, line),
        cosignedAt: new Date(timestamp * 1000).toISOString(),
      },
      result: { status: 200, body: line, contentType: 'text/plain; charset=utf-8' },
    };
  });
}

async function latestCheckpoint(hash: string, options: WitnessServerOptions): Promise<Answer> {
  const origin = options.logs.origins().find((name) => originHash(name) === hash);
  const latest = origin === undefined ? undefined : await options.logs.latest(origin);
  if (!latest)
    return { status: 404, body: 'this witness has cosigned no checkpoint of that log\n' };
  return { status: 200, body: latest.checkpoint, contentType: 'text/plain; charset=utf-8' };
}

function refused(
  options: WitnessServerOptions,
  origin: string,
  refusal: { status: number; reason: string; size?: number },
): Answer {
  options.log?.(`refused ${origin} with ${refusal.status}: ${refusal.reason}`);
  if (refusal.status === 409) {
    return { status: 409, body: `${refusal.size}\n`, contentType: TLOG_SIZE_CONTENT_TYPE };
  }
  return { status: refusal.status, body: `${refusal.reason}\n` };
}

/** The checkpoint note with one more signature line (`line` ends with a newline). */
function withSignature(note: string, line: string): string {
  return note.endsWith('\n') ? note + line : `${note}\n${line}`;
}

function methodNotAllowed(allow: string): Answer {
  return { status: 405, body: `use ${allow}\n` };
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, reply: Answer): void {
  response.writeHead(reply.status, {
    'content-type': reply.contentType ?? 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(reply.body),
  });
  response.end(reply.body);
}
