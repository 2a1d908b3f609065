#!/usr/bin/env node

interface Command {
  summary: string;
  /** Runs with the arguments after the command name; resolves with the exit code. */
  run(argv: string[]): Promise<number>;
}

// Handlers are imported when their command runs: `verify`, `note` and `keys` then start in a
// tenth of the time the server's libraries take to load, and need no database.

/** Every `cuenta` command. To add one: a name, a one-line summary and its handler. */
const COMMANDS: Record<string, Command> = {
  token: {
    summary: "mint a bearer token with the embedded default's local key",
    run: async (argv) => (await import('./commands/token.command.js')).tokenCommand(argv),
  },
  keys: {
    summary: 'generate a signer key; print the verifier keys of one',
    run: async (argv) => (await import('./commands/keys.command.js')).keysCommand(argv),
  },
  note: {
    summary: 'sign or verify a signed note (c2sp.org/signed-note, Go sumdb/note)',
    run: async (argv) => (await import('./commands/note.command.js')).noteCommand(argv),
  },
  export: {
    summary: 'write the log up to its latest checkpoint as a bundle anyone can verify',
    run: async (argv) => (await import('./commands/export.command.js')).exportCommand(argv),
  },
  'open-data': {
    summary: 'write the open data as a Frictionless Data Package (CSV + datapackage.json)',
    run: async (argv) => (await import('./commands/open-data.command.js')).openDataCommand(argv),
  },
  verify: {
    summary: 'verify an exported bundle offline: every event, checkpoint and signature',
    run: async (argv) => (await import('./commands/verify.command.js')).verifyCommand(argv),
  },
  tally: {
    summary: 'count a topic prioritization again from an export bundle, offline, and compare',
    run: async (argv) => (await import('./commands/tally.command.js')).tallyCommand(argv),
  },
  flags: {
    summary: 'compute every red flag from an export bundle, offline, as of a time, as JSON',
    run: async (argv) => (await import('./commands/flags.command.js')).flagsCommand(argv),
  },
  proof: {
    summary: 'print the offline proof (c2sp.org/tlog-proof) that an event is in the log',
    run: async (argv) => (await import('./commands/proof.command.js')).proofCommand(argv),
  },
  'verify-proof': {
    summary: 'check an offline proof for one event, without the log',
    run: async (argv) =>
      (await import('./commands/verify-proof.command.js')).verifyProofCommand(argv),
  },
  witness: {
    summary:
      'check that the log only grew since last time, and cosign its checkpoint; serve: a tlog-witness server',
    run: async (argv) => (await import('./commands/witness.command.js')).witnessCommand(argv),
  },
  mirror: {
    summary: 'keep a verified copy of a log, read through its tiles, that cuenta verify accepts',
    run: async (argv) => (await import('./commands/mirror.command.js')).mirrorCommand(argv),
  },
  import: {
    summary: 'record the commitments of a JSON file (docs/import.md); safe to repeat',
    run: async (argv) => (await import('./commands/import.command.js')).importCommand(argv),
  },
  replay: {
    summary: 'rebuild read models from the log (all, or the one named)',
    run: async (argv) => (await import('./commands/replay.command.js')).replayCommand(argv),
  },
  'audit-report': {
    summary:
      'count the changes recorded in a period by month, agency, actor and type (CSV or JSON)',
    run: async (argv) =>
      (await import('./commands/audit-report.command.js')).auditReportCommand(argv),
  },
  projections: {
    summary: "show the read models' checkpoints and stalls; park an event one cannot apply",
    run: async (argv) =>
      (await import('./commands/projections.command.js')).projectionsCommand(argv),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`,
  );
  return `usage: cuenta <command> [...]\ncommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  const command = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(
      `${name === undefined ? 'cuenta: no command given' : `cuenta: unknown command "${name}"`}\n${usage()}`,
    );
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`cuenta: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
