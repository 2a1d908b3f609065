#!/usr/bin/env node
import { tokenCommand } from './commands/token.command.js';

interface Command {
  summary: string;
  /** Runs with the arguments after the command name; resolves with the exit code. */
  run(argv: string[]): Promise<number>;
}

/** Every `cuenta` command. To add one: a name, a one-line summary and its handler. */
const COMMANDS: Record<string, Command> = {
  token: {
    summary: "mint a bearer token with the embedded default's local key",
    run: tokenCommand,
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
