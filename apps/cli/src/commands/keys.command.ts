import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  generateSignerKey,
  keyNameProblem,
  verifierKeyFor,
  witnessVerifierKeyFor,
  type SignerKey,
} from '#ledger';
import {
  fileProblem,
  parseFlags,
  positionals,
  requireFlag,
  runCommand,
  signerKeyFile,
  UsageError,
} from '../support/cli.js';

const USAGE = `usage: cuenta keys generate <name> --out <file>
       cuenta keys verifier --key <signer-key-file>

  generate  writes a new Ed25519 signer key named <name> to <file> (mode 600; an existing
            file is never overwritten) and prints its verifier keys
  verifier  prints the verifier keys of an existing signer key

Both print two lines on stdout:
  1. the verifier key (type 0x01): checks notes and checkpoints signed with the key
     (note verify --key, verify --key, verify-proof --key, witness --log-key)
  2. the witness verifier key (cosignature/v1, type 0x04): checks the key's witness
     cosignatures (a log's CUENTA_WITNESS_KEYS, --witness-key)

A log's key is named after its origin (e.g. cuenta.example/cartagena); a witness's key after
the witness (e.g. contraloria.example/witness). Key strings are those of Go's sumdb/note.
Exit codes: 0 done, 1 could not write, 2 bad arguments.
`;

/** `cuenta keys`: makes signer keys and shows their verifier keys. */
export function keysCommand(argv: string[]): Promise<number> {
  return runCommand('keys', USAGE, argv, async () => {
    const [action, ...rest] = argv;
    if (action === 'generate') return generate(rest);
    if (action === 'verifier') return verifier(rest);
    throw new UsageError(
      action === undefined ? 'missing action (generate or verifier)' : `unknown action "${action}"`,
    );
  });
}

async function generate(argv: string[]): Promise<number> {
  const { values, positionals: args } = parseFlags(argv, { out: { type: 'string' } });
  const [name] = positionals(args, ['<name>']);
  const out = requireFlag(values.out, '--out', 'file');
  const problem = keyNameProblem(name);
  if (problem) throw new UsageError(`<name>: ${problem}`);
  const signerKey = generateSignerKey(name);
  try {
    await mkdir(path.dirname(path.resolve(out)), { recursive: true, mode: 0o700 });
    // "wx": never replace a key that may already sign something.
    await writeFile(out, `${signerKey}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UsageError(`--out: ${out} already exists; a key file is never overwritten`);
    }
    throw new UsageError(`--out: ${out} ${fileProblem(error).replace('be read', 'be written')}`);
  }
  printVerifierKeys(signerKey);
  process.stderr.write(
    `wrote the signer key "${name}" to ${out} (mode 600): keep it secret. ` +
      'stdout: its verifier key, then its witness verifier key\n',
  );
  return 0;
}

async function verifier(argv: string[]): Promise<number> {
  const { values, positionals: args } = parseFlags(argv, { key: { type: 'string' } });
  positionals(args, []);
  const { key } = await signerKeyFile(requireFlag(values.key, '--key', 'signer-key-file'), '--key');
  printVerifierKeys(key);
  return 0;
}

function printVerifierKeys(key: string | SignerKey): void {
  process.stdout.write(`${verifierKeyFor(key)}\n${witnessVerifierKeyFor(key)}\n`);
}
