import {
  formatKeyId,
  LedgerError,
  leafBytesOf,
  parseEventEnvelope,
  parseTlogProof,
  RootMismatchError,
  toBase64,
  verifyTlogProof,
  type EventEnvelope,
} from '#ledger';
import {
  CommandFailure,
  count,
  parseFlags,
  positionals,
  readInputFile,
  requireFlag,
  runCommand,
  UsageError,
  verifierKeyArg,
} from '../support/cli.js';

const USAGE = `usage: cuenta verify-proof --key <verifier-key> [--witness-key <verifier-key>]...
                           <proof-file> <event-json-file>

Checks offline that the event is in the log: the proof's checkpoint is signed by the log
key (and, for each --witness-key, cosigned validly if that witness cosigned it), and the
inclusion proof leads from the event's leaf hash, SHA-256(0x00 || RFC 8785 canonical JSON of
the event), to the checkpoint's root at the event's position.

  --key <verifier-key>          the log's key (a key string or a file), obtained from the
                                log out of band
  --witness-key <verifier-key>  a witness you trust (repeatable)
  --min-cosignatures <n>        require n valid cosignatures by those witnesses (default 0)
  <proof-file>                  a c2sp.org/tlog-proof@v1 file (cuenta proof), or -
  <event-json-file>             the event as stored: one line of events.jsonl, or the same
                                JSON formatted any other way (it is canonicalized)
Exit codes: 0 proven, 1 does not verify, 2 bad arguments.
`;

/** `cuenta verify-proof`: checks a tlog-proof against an event, offline. */
export function verifyProofCommand(argv: string[]): Promise<number> {
  return runCommand('verify-proof', USAGE, argv, async () => {
    const { values, positionals: args } = parseFlags(argv, {
      key: { type: 'string' },
      'witness-key': { type: 'string', multiple: true },
      'min-cosignatures': { type: 'string' },
    });
    const [proofFile, eventFile] = positionals(args, ['<proof-file>', '<event-json-file>']);
    const logKey = await verifierKeyArg(requireFlag(values.key, '--key', 'verifier-key'), '--key');
    if (logKey.algorithm !== 'ed25519') {
      throw new UsageError('--key must be the log key (type 0x01), not a witness key (type 0x04)');
    }
    const witnessKeys = await Promise.all(
      (values['witness-key'] ?? []).map((key) => verifierKeyArg(key, '--witness-key')),
    );
    const minText = values['min-cosignatures'] ?? '0';
    if (!/^\d{1,3}$/.test(minText)) {
      throw new UsageError(
        `--min-cosignatures must be a small non-negative integer (got "${minText}")`,
      );
    }
    const minCosignatures = Number(minText);
    if (minCosignatures > witnessKeys.length) {
      throw new UsageError(
        `--min-cosignatures ${minCosignatures} needs at least that many --witness-key`,
      );
    }
    const proofText = await readInputFile(proofFile, 'the proof file');
    const event = parseEvent(await readInputFile(eventFile, 'the event file'), eventFile);

    let verified;
    try {
      const index = parseTlogProof(proofText).index;
      if (index !== event.position) {
        throw new CommandFailure(
          `the proof is for position ${index} but the event in ${eventFile} says position ${event.position}`,
        );
      }
      verified = verifyTlogProof({
        proofText,
        leafBytes: leafBytesOf(event),
        logKey,
        witnessKeys,
        minCosignatures,
      });
    } catch (error) {
      if (error instanceof RootMismatchError) {
        throw new CommandFailure(
          `the event is not what the log signed at position ${count(event.position)}: from its ` +
            `leaf hash the proof leads to root ${toBase64(error.computed)}, but the checkpoint ` +
            `signed ${toBase64(error.expected)}`,
        );
      }
      if (error instanceof LedgerError) {
        throw new CommandFailure(`the proof does not verify: ${error.message}`);
      }
      throw error;
    }
    const witnesses = verified.cosignatures.map((c) => c.name);
    process.stdout.write(
      `proven: event ${event.id} (${event.type}, ${event.stream} version ${event.streamVersion}) ` +
        `is at position ${count(event.position)} of ${verified.checkpoint.origin}, in the checkpoint ` +
        `of size ${count(verified.checkpoint.size)} (root ${toBase64(verified.checkpoint.rootHash)}) ` +
        `signed by ${logKey.name}+${formatKeyId(logKey.keyId)}` +
        `${witnesses.length > 0 ? `, cosigned by ${witnesses.join(', ')}` : ', no trusted cosignature'}\n`,
    );
    return 0;
  });
}

function parseEvent(text: string, file: string): EventEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON (expected one event, e.g. a line of events.jsonl)`);
  }
  try {
    return parseEventEnvelope(value);
  } catch (error) {
    if (error instanceof LedgerError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}
