import { formatKeyId, LedgerError, openNote, signNote } from '#ledger';
import {
  CommandFailure,
  parseFlags,
  positionals,
  readInputFile,
  requireFlag,
  runCommand,
  signerKeyFile,
  UsageError,
  verifierKeyArg,
} from '../support/cli.js';

const USAGE = `usage: cuenta note sign --key <signer-key-file> <file>
       cuenta note verify --key <verifier-key> <file>

Signed notes as c2sp.org/signed-note and Go's golang.org/x/mod/sumdb/note define them
(the same key and text give the same signature bytes; notes signed by Go tools verify).

  sign    prints <file> (text ending in a newline) signed with the key: the text, a blank
          line, then the signature line
  verify  exits 0 when <file> is a signed note carrying a valid signature by the key, and
          prints its text; otherwise exits 1 with the reason

  --key   sign: a file holding a signer key (PRIVATE+KEY+..., mode 600)
          verify: a verifier key (name+keyid+base64) or a file holding one
  <file>  a file, or - for standard input
Exit codes: 0 signed / verified, 1 does not verify, 2 bad arguments.
`;

/** `cuenta note`: sign and verify signed notes. */
export function noteCommand(argv: string[]): Promise<number> {
  return runCommand('note', USAGE, argv, async () => {
    const [action, ...rest] = argv;
    if (action === 'sign') return sign(rest);
    if (action === 'verify') return verify(rest);
    throw new UsageError(
      action === undefined ? 'missing action (sign or verify)' : `unknown action "${action}"`,
    );
  });
}

async function sign(argv: string[]): Promise<number> {
  const { values, positionals: args } = parseFlags(argv, { key: { type: 'string' } });
  const [file] = positionals(args, ['<file>']);
  const { key } = await signerKeyFile(requireFlag(values.key, '--key', 'signer-key-file'), '--key');
  const text = await readInputFile(file, 'the note text');
  if (!text.endsWith('\n'))
    throw new UsageError(`the note text in ${file} must end with a newline`);
  try {
    process.stdout.write(signNote(text, [key]));
  } catch (error) {
    if (error instanceof LedgerError) throw new UsageError(`cannot sign ${file}: ${error.message}`);
    throw error;
  }
  return 0;
}

async function verify(argv: string[]): Promise<number> {
  const { values, positionals: args } = parseFlags(argv, { key: { type: 'string' } });
  const [file] = positionals(args, ['<file>']);
  const key = await verifierKeyArg(requireFlag(values.key, '--key', 'verifier-key'), '--key');
  const note = await readInputFile(file, 'the signed note');
  let opened;
  try {
    opened = openNote(note, [key]);
  } catch (error) {
    if (error instanceof LedgerError) {
      throw new CommandFailure(`${file} does not verify: ${error.message}`);
    }
    throw error;
  }
  process.stdout.write(opened.text);
  process.stderr.write(`verified: signed by ${key.name}+${formatKeyId(key.keyId)}\n`);
  return 0;
}
