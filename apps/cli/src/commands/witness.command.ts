import { access, constants, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  cosignCheckpoint,
  emptyRoot,
  formatVerifierKey,
  fromBase64,
  LedgerError,
  openCheckpoint,
  parseVerifierKey,
  RootMismatchError,
  toBase64,
  verifyConsistency,
  type OpenedCheckpoint,
  type VerifierKey,
} from '#ledger';
import {
  CommandFailure,
  count,
  parseFlags,
  positionals,
  requireFlag,
  runCommand,
  signerKeyFile,
  UsageError,
  verifierKeyArg,
} from '../support/cli.js';
import { LogClient } from '../witness/log-client.js';
import {
  readWitnessState,
  WITNESS_STATE_FORMAT,
  writeWitnessState,
  type WitnessState,
} from '../witness/witness-state.js';

const USAGE = `usage: cuenta witness --key <signer-key-file> --state <file> --server <url>
                      [--log-key <verifier-key>] [--timeout <seconds>]

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

/** `cuenta witness`: one round of witnessing a log. */
export function witnessCommand(argv: string[]): Promise<number> {
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

    const state = await readWitnessState(stateFile);
    const logKey = await resolveLogKey({ state, pinnedByFlag, client });

    const latest = await client.latestCheckpoint();
    if (!latest) throw new CommandFailure(`${client.endpoint} has no signed checkpoint yet`);
    const opened = openLogCheckpoint(latest.note, logKey);
    const { size, rootHash } = opened.checkpoint;
    if (latest.size !== size) {
      throw new CommandFailure(
        `the log said size ${latest.size} but its signed checkpoint says ${size}`,
      );
    }

    const oldSize = state?.size ?? 0;
    const oldRoot = state ? (fromBase64(state.rootHash) ?? emptyRoot()) : emptyRoot();
    if (state && size < state.size) {
      throw new CommandFailure(
        await refusal(
          stateFile,
          state,
          latest.note,
          [],
          `the log's latest checkpoint has size ${count(size)}, smaller than the size ` +
            `${count(state.size)} this witness cosigned at ${state.cosignedAt}: a log never shrinks`,
        ),
      );
    }
    if (state && size === state.size) {
      if (toBase64(rootHash) !== state.rootHash) {
        throw new CommandFailure(
          await refusal(
            stateFile,
            state,
            latest.note,
            [],
            `the log signed two different trees of size ${count(size)}: root ${toBase64(rootHash)} ` +
              `now, ${state.rootHash} when this witness cosigned it (a fork)`,
          ),
        );
      }
      process.stdout.write(
        `nothing new: ${state.origin} is still at size ${count(size)}, cosigned at ${state.cosignedAt}\n`,
      );
      return 0;
    }

    const proof = await client.consistencyProof(oldSize, size);
    try {
      verifyConsistency(
        {
          size1: oldSize,
          size2: size,
          proof: proof.map((hash) => decodeHash(hash)),
          root1: oldRoot,
          root2: rootHash,
        },
        { allowEmptyOldTree: true },
      );
    } catch (error) {
      if (!(error instanceof LedgerError) || !state) throw failure(error);
      throw new CommandFailure(
        await refusal(
          stateFile,
          state,
          latest.note,
          proof,
          `the log's checkpoint of size ${count(size)} is not consistent with the checkpoint of ` +
            `size ${count(state.size)} this witness cosigned: ${inconsistency(error)}; its history ` +
            'was rewritten',
        ),
      );
    }

    const cosignedAt = Math.floor(Date.now() / 1000);
    const line = cosignCheckpoint({
      signerKey: witnessKey,
      checkpointBody: opened.body,
      timestamp: cosignedAt,
    });
    await client.submitCosignature(size, line);
    const next: WitnessState = {
      format: WITNESS_STATE_FORMAT,
      origin: logKey.name,
      logKey: state?.logKey ?? formatVerifierKey(logKey),
      size,
      rootHash: toBase64(rootHash),
      checkpoint: latest.note,
      cosignedAt: new Date(cosignedAt * 1000).toISOString(),
    };
    await writeWitnessState(stateFile, next);
    process.stdout.write(
      `cosigned ${logKey.name} at size ${count(size)} (root ${toBase64(rootHash)}) as ` +
        `${witnessKey.name}; ${state ? `consistent with size ${count(oldSize)}` : 'first contact'}; ` +
        `state saved in ${stateFile}\n`,
    );
    return 0;
  });
}

async function resolveLogKey(args: {
  state: WitnessState | undefined;
  pinnedByFlag: VerifierKey | undefined;
  client: LogClient;
}): Promise<VerifierKey> {
  const { state, pinnedByFlag, client } = args;
  if (state) {
    const pinned = parseVerifierKey(state.logKey);
    if (pinnedByFlag && formatVerifierKey(pinnedByFlag) !== formatVerifierKey(pinned)) {
      throw new UsageError(
        `--log-key ${formatVerifierKey(pinnedByFlag)} is not the key pinned in the state file (${state.logKey})`,
      );
    }
    return pinned;
  }
  if (pinnedByFlag) return pinnedByFlag;
  const info = await client.ledgerInfo();
  let key: VerifierKey;
  try {
    key = parseVerifierKey(info.verifierKey);
  } catch (error) {
    throw failure(error);
  }
  process.stderr.write(
    `cuenta witness: first contact: pinning the log key ${info.verifierKey} as announced by ` +
      `${client.endpoint}; check it against the key the log publishes (or pass --log-key)\n`,
  );
  return key;
}

function openLogCheckpoint(note: string, logKey: VerifierKey): OpenedCheckpoint {
  try {
    return openCheckpoint({ note, origin: logKey.name, logKey });
  } catch (error) {
    throw new CommandFailure(
      `the log's latest checkpoint does not verify with ${formatVerifierKey(logKey)}: ${(error as Error).message}`,
    );
  }
}

/**
 * The message of a refusal, after saving what proves it: the checkpoint this witness cosigned
 * and the conflicting one, both signed by the log (two signed checkpoints that cannot both be
 * true are evidence anyone can check).
 */
async function refusal(
  stateFile: string,
  state: WitnessState,
  conflicting: string,
  proof: string[],
  reason: string,
): Promise<string> {
  const evidence = `${stateFile}.conflict-${Date.now()}.txt`;
  const text =
    `${reason}\n\n` +
    `The checkpoint this witness cosigned at ${state.cosignedAt}:\n\n${state.checkpoint}\n` +
    `The checkpoint the log served at ${new Date().toISOString()}:\n\n${conflicting}\n` +
    (proof.length > 0 ? `The consistency proof it served:\n${proof.join('\n')}\n` : '');
  try {
    await writeFile(evidence, text, { flag: 'wx' });
    return `refusing to cosign: ${reason}; evidence saved in ${evidence}; state unchanged`;
  } catch {
    return `refusing to cosign: ${reason}; state unchanged`;
  }
}

function inconsistency(error: LedgerError): string {
  return error instanceof RootMismatchError
    ? 'the consistency proof it served does not lead from the root cosigned then to the root it signs now'
    : `the consistency proof it served is malformed (${error.message})`;
}

function decodeHash(base64: string): Uint8Array {
  const hash = fromBase64(base64);
  if (hash === undefined || hash.length !== 32) {
    throw new CommandFailure(
      'the log sent a consistency proof hash that is not base64 of 32 bytes',
    );
  }
  return hash;
}

function failure(error: unknown): Error {
  return error instanceof LedgerError ? new CommandFailure(error.message) : (error as Error);
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
