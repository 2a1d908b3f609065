import { readFile, stat } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseSignerKey, parseVerifierKey, type SignerKey, type VerifierKey } from '#ledger';
import { fileProblem, messageOf, UnusableFolderError } from '#transparency/standalone';

export { fileProblem, messageOf };

/** The invocation is wrong (flags, arguments, files or keys it names): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The work was done and the answer is no, or it could not be done: exit code 1. */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * Runs one command: `--help` prints its usage, a UsageError (or a flag parseArgs refuses)
 * exits 2, anything else that goes wrong exits 1, always with one line on stderr that starts
 * with `cuenta <command>:`.
 */
export async function runCommand(
  command: string,
  usage: string,
  argv: string[],
  body: () => Promise<number | void>,
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage);
    return EXIT.ok;
  }
  try {
    return (await body()) ?? EXIT.ok;
  } catch (error) {
    // A folder named on the command line that cannot be used is a usage error too.
    if (
      error instanceof UsageError ||
      error instanceof UnusableFolderError ||
      isParseArgsError(error)
    ) {
      process.stderr.write(
        `cuenta ${command}: ${oneLine((error as Error).message)} (see cuenta ${command} --help)\n`,
      );
      return EXIT.usage;
    }
    process.stderr.write(`cuenta ${command}: ${oneLine(messageOf(error))}\n`);
    return EXIT.failed;
  }
}

/** `parseArgs` with strict checking; its errors become usage errors in runCommand. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
) {
  return parseArgs({ args: argv, options, strict: true, allowPositionals: true });
}

/** Exactly `names.length` positional arguments, named for the error message. */
export function positionals(values: string[], names: string[]): string[] {
  if (values.length < names.length) {
    throw new UsageError(`missing ${names.slice(values.length).join(' and ')}`);
  }
  if (values.length > names.length) {
    throw new UsageError(`unexpected argument "${values[names.length]}"`);
  }
  return values;
}

export function requireFlag(value: string | undefined, flag: string, what: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} <${what}> is required`);
  return value;
}

/** A file the user named: its text, or a UsageError saying why it cannot be read. "-" is stdin. */
export async function readInputFile(file: string, what: string): Promise<string> {
  if (file === '-') return readStdin();
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${what} ${file} ${fileProblem(error)}`);
  }
}

/**
 * A verifier key given on the command line, either as the key itself
 * (`name+keyid+base64`) or as a file holding one.
 */
export async function verifierKeyArg(value: string, flag: string): Promise<VerifierKey> {
  const direct = tryParse(() => parseVerifierKey(value.trim()));
  if (direct.key) return direct.key;
  let text: string;
  try {
    text = await readFile(value, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && value.includes('+')) {
      throw new UsageError(`${flag} is not a valid verifier key: ${direct.reason}`);
    }
    throw new UsageError(`${flag}: the key file ${value} ${fileProblem(error)}`);
  }
  const fromFile = tryParse(() => parseVerifierKey(text.trim()));
  if (!fromFile.key) {
    throw new UsageError(`${flag}: ${value} does not hold a verifier key: ${fromFile.reason}`);
  }
  return fromFile.key;
}

/**
 * The signer key in `file`, which must be readable by its owner only: a signer key is a
 * secret, and one that others can read may already be someone else's too.
 */
export async function signerKeyFile(
  file: string,
  flag: string,
): Promise<{ text: string; key: SignerKey }> {
  let mode: number;
  let text: string;
  try {
    mode = (await stat(file)).mode;
    text = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    throw new UsageError(`${flag}: the signer key file ${file} ${fileProblem(error)}`);
  }
  if ((mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(3, '0');
    throw new UsageError(
      `${flag}: the signer key file ${file} is readable by others (mode ${octal}); run: chmod 600 ${file}`,
    );
  }
  const parsed = tryParse(() => parseSignerKey(text));
  if (!parsed.key) {
    throw new UsageError(`${flag}: ${file} does not hold a signer key: ${parsed.reason}`);
  }
  return { text, key: parsed.key };
}

function tryParse<K>(parse: () => K): { key?: K; reason: string } {
  try {
    return { key: parse(), reason: '' };
  } catch (error) {
    return { reason: messageOf(error) };
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Text that may span lines (an error, a reason), on one line. */
export function joinLines(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

function oneLine(text: string): string {
  // parseArgs appends advice about "--" that does not apply to these commands.
  return text.split('\n')[0].split('. To specify')[0].trim();
}

function isParseArgsError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** Thousands separators, for counts people read. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1 checkpoint`, `2 checkpoints`. */
export function counted(n: number, noun: string): string {
  return `${count(n)} ${n === 1 ? noun : `${noun}s`}`;
}

/** An integer flag from `min` to `max`, or undefined when absent. */
export function integerFlag(
  value: string | undefined,
  flag: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max} (got "${value}")`);
  }
  return n;
}
