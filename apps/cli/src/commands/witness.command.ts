import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { toBase64 } from '#ledger';
import { LogClient, PinnedKeyConflictError, witnessRound } from '#transparency/standalone';
import {
  count,
  parseFlags,
  positionals,
  requireFlag,
  runCommand,
  signerKeyFile,
  UsageError,
  verifierKeyArg,
} from '../support/cli.js';

const USAGE = `usage: cuenta witness --key <signer-key-file> --state <file> --server <url>
                      [--log-key <verifier-key>] [--timeout <seconds>]
       cuenta witness serve ... (a tlog-witness server; see cuenta witness serve --help)

Witnesses a Cuenta log: fetches its latest checkpoint, checks the log's signature, checks
with a consistency proof that the log only grew since the checkpoint this witness cosigned
last (the one in the state file), then cosigns (c2sp.org/tlog-cosignature), submits the
cosignature to the log, and only then records the new checkpoint in the state file
(atomically). A checkpoint smaller than the state, or with another root at the same size,
or not consistent with it, is a rewritten history: the witness refuses, saves the two signed
checkpoints as evidence beside the state file, and exits 1. On any failure the state file is
left as it was. Run it from cron, e.g. every 10 minutes.

  --key <file>              the witness's signer key (cuenta keys generate; mode 600). The
                            log must list its witness verifier key in CUENTA_WITNESS_KEYS.
  --state <file>            the witness's memory of this log (JSON); missing or empty means
                            first contact
  --server <url>            the log's API, e.g. https://cuenta.example (POSTs to /graphql)
  --log-key <verifier-key>  the log's key, obtained out of band (a key string or a file).
                            Without it: the key pinned in the state file, or at first
                            contact the key the server announces (pinned from then on; check
                            it against the key the log publishes)
  --timeout <seconds>       per request (default 30)
Exit codes: 0 cosigned or nothing new, 1 refused or failed, 2 bad arguments.
`;

/** `cuenta witness`: one round of witnessing a log; `cuenta witness serve`: a witness server. */
export async function witnessCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'serve') {
    return (await import('./witness-serve.command.js')).witnessServeCommand(argv.slice(1));
  }
  return runCommand('witness', USAGE, argv, async () => {
    const { values, positionals: args } = parseFlags(argv, {
      key: { type: 'string' },
      state: { type: 'string' },
      server: { type: 'string' },
      'log-key': { type: 'string' },
      timeout: { type: 'string' },
    });
    positionals(args, []);
    const { key: witnessKey } = await signerKeyFile(
      requireFlag(values.key, '--key', 'signer-key-file'),
      '--key',
    );
    const stateFile = requireFlag(values.state, '--state', 'file');
    await access(path.dirname(path.resolve(stateFile)), constants.W_OK).catch(() => {
      throw new UsageError(`--state: the folder of ${stateFile} does not exist or is not writable`);
    });
    const client = new LogClient(
      serverUrl(requireFlag(values.server, '--server', 'url')),
      timeout(values.timeout),
    );
    const pinnedByFlag =
      values['log-key'] === undefined
        ? undefined
        : await verifierKeyArg(values['log-key'], '--log-key');
    if (pinnedByFlag && pinnedByFlag.algorithm !== 'ed25519') {
      throw new UsageError(
        '--log-key must be the log key (type 0x01), not a witness key (type 0x04)',
      );
    }

    let result;
    try {
      result = await witnessRound({
        witnessKey,
        stateFile,
        client,
        logKey: pinnedByFlag,
        onFirstContact: (announced, endpoint) =>
          process.stderr.write(
            `cuenta witness: first contact: pinning the log key ${announced} as announced by ` +
              `${endpoint}; check it against the key the log publishes (or pass --log-key)\n`,
          ),
      });
    } catch (error) {
      if (error instanceof PinnedKeyConflictError) {
        throw new UsageError(
          `--log-key ${error.given} is not the key pinned in the state file (${error.pinned})`,
        );
      }
      throw error;
    }
    if (result.outcome === 'nothing-new') {
      process.stdout.write(
        `nothing new: ${result.origin} is still at size ${count(result.size)}, cosigned at ${result.cosignedAt}\n`,
      );
      return 0;
    }
    process.stdout.write(
      `cosigned ${result.origin} at size ${count(result.size)} (root ${toBase64(result.rootHash)}) as ` +
        `${witnessKey.name}; ${result.previousSize !== undefined ? `consistent with size ${count(result.previousSize)}` : 'first contact'}; ` +
        `state saved in ${stateFile}\n`,
    );
    return 0;
  });
}

function serverUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--server must be a URL such as https://cuenta.example (got "${text}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--server must be an http or https URL (got "${text}")`);
  }
  return url;
}

function timeout(text: string | undefined): number {
  if (text === undefined) return 30_000;
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || seconds < 1 || seconds > 600) {
    throw new UsageError(
      `--timeout must be a whole number of seconds from 1 to 600 (got "${text}")`,
    );
  }
  return seconds * 1000;
}
