import { mkdir, access, constants } from 'node:fs/promises';
import { once } from 'node:events';
import { formatVerifierKey, type VerifierKey } from '#ledger';
import { createWitnessServer, WitnessedLogs } from '#transparency/standalone';
import {
  parseFlags,
  positionals,
  requireFlag,
  runCommand,
  signerKeyFile,
  UsageError,
  verifierKeyArg,
} from '../support/cli.js';

const USAGE = `usage: cuenta witness serve --key <signer-key-file> --state-dir <dir> --listen <host:port>
                            --log <origin>=<verifier-key> [--log ...]

Runs a witness server (c2sp.org/tlog-witness) for the logs named with --log: a log, Cuenta or
any other, pushes each new checkpoint with POST /add-checkpoint (the size it believes this
witness cosigned last, a consistency proof from it, the signed checkpoint), and the witness
answers with its cosignature (c2sp.org/tlog-cosignature) once the checkpoint is signed by the
log's key and consistent with the one it cosigned last. It refuses with the specification's
status codes: 404 a log it does not witness, 403 a checkpoint the log's key did not sign, 400
a malformed request or one whose old size exceeds the checkpoint's (a rollback), 409 an old
size that is not the size it cosigned last (the body gives that size), 422 a proof that does
not verify or another root at the same size (a fork). GET /<sha256 of the origin, hex>/
checkpoint serves the latest checkpoint it cosigned for a log.

  --key <file>                  the witness's signer key (cuenta keys generate; mode 600);
                                give its witness verifier key to the logs' operators
  --state-dir <dir>             where the latest checkpoint cosigned per log is kept, one
                                JSON file per log, each replaced atomically; created if
                                missing. One server per folder.
  --listen <host:port>          where to listen, e.g. 127.0.0.1:7380 (port 0: any free port)
  --log <origin>=<verifier-key> a log to witness and its key (a key string or a file); the
                                key's name must be the origin. Repeat for several logs, or for
                                several keys of one log.
Runs until stopped (SIGINT or SIGTERM). Prints "listening on http://<host>:<port>" once ready.
`;

/** `cuenta witness serve`: a tlog-witness HTTP server. */
export function witnessServeCommand(argv: string[]): Promise<number> {
  return runCommand('witness serve', USAGE, argv, async () => {
    const { values, positionals: args } = parseFlags(argv, {
      key: { type: 'string' },
      'state-dir': { type: 'string' },
      listen: { type: 'string' },
      log: { type: 'string', multiple: true },
    });
    positionals(args, []);
    const { key: witnessKey } = await signerKeyFile(
      requireFlag(values.key, '--key', 'signer-key-file'),
      '--key',
    );
    const stateDir = requireFlag(values['state-dir'], '--state-dir', 'dir');
    await mkdir(stateDir, { recursive: true }).catch(() => undefined);
    await access(stateDir, constants.W_OK).catch(() => {
      throw new UsageError(`--state-dir: ${stateDir} is not a folder this user can write`);
    });
    const { host, port } = listenAddress(requireFlag(values.listen, '--listen', 'host:port'));
    const logs = await logKeys(values.log ?? []);

    const server = createWitnessServer({
      witnessKey,
      logs: new WitnessedLogs(stateDir, logs),
      log: (line) => process.stderr.write(`cuenta witness serve: ${line}\n`),
    });
    server.listen(port, host);
    await Promise.race([
      once(server, 'listening'),
      once(server, 'error').then(([error]) => {
        throw new UsageError(`--listen ${host}:${port}: ${(error as Error).message}`);
      }),
    ]);
    const address = server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    process.stdout.write(
      `listening on http://${host.includes(':') ? `[${host}]` : host}:${bound} as ${witnessKey.name}, ` +
        `witnessing ${[...logs.keys()].join(', ')}\n`,
    );
    const signal = await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    void signal;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    return 0;
  });
}

function listenAddress(text: string): { host: string; port: number } {
  const match = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) {
    throw new UsageError(`--listen must be <host>:<port>, e.g. 127.0.0.1:7380 (got "${text}")`);
  }
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

async function logKeys(flags: readonly string[]): Promise<Map<string, VerifierKey[]>> {
  if (flags.length === 0) {
    throw new UsageError('name at least one log to witness with --log <origin>=<verifier-key>');
  }
  const logs = new Map<string, VerifierKey[]>();
  for (const flag of flags) {
    const split = flag.indexOf('=');
    if (split <= 0) {
      throw new UsageError(`--log must be <origin>=<verifier-key> (got "${flag}")`);
    }
    const origin = flag.slice(0, split);
    const key = await verifierKeyArg(flag.slice(split + 1), `--log ${origin}`);
    if (key.algorithm !== 'ed25519') {
      throw new UsageError(
        `--log ${origin}: the key must be the log's key (type 0x01), not a witness key`,
      );
    }
    if (key.name !== origin) {
      throw new UsageError(
        `--log ${origin}: the key ${formatVerifierKey(key)} is named "${key.name}", not after the origin`,
      );
    }
    logs.set(origin, [...(logs.get(origin) ?? []), key]);
  }
  return logs;
}
