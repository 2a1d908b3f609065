import { CONTEXTS } from '#contexts';
import {
  ImportEntryError,
  importerFor,
  InvalidInputError,
  loadConfig,
  openDatabase,
  type ImportPlan,
} from '#platform';
import {
  CommandFailure,
  count,
  counted,
  parseFlags,
  positionals,
  readInputFile,
  runCommand,
  UsageError,
} from '../support/cli.js';
import { readConfig } from '../support/open-log.js';
import { openEventStore } from '../support/open-store.js';

const USAGE =
  'usage: cuenta import <file>\n' +
  '  Records the commitments in <file> (JSON, format cuenta-import/1: see docs/import.md; "-"\n' +
  '  reads stdin) as commands: registration, milestones, publication, budget and updates.\n' +
  '  Importing the same file again records nothing new; an entry changed since it was\n' +
  '  imported is refused (record the change as a revision instead).\n' +
  '  Uses DATABASE_URL, or the embedded PostgreSQL in CUENTA_DATA_DIR, as the server does.\n';

/** `cuenta import <file>`. Exit codes: 0 imported, 2 bad arguments or file, 1 a command failed. */
export function importCommand(argv: string[]): Promise<number> {
  return runCommand('import', USAGE, argv, async () => {
    const [file] = positionals(parseFlags(argv, {}).positionals, ['file']);
    const text = await readInputFile(file, 'the import file');
    let plan: ImportPlan;
    try {
      const json: unknown = JSON.parse(text);
      // The context whose importer reads the file's `format` (#contexts).
      const importer = importerFor(CONTEXTS, json);
      if (!importer) throw new UsageError('no context of this build imports files');
      plan = importer.read(json);
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new UsageError(`${file} is not JSON: ${error.message}`);
      if (error instanceof InvalidInputError) throw new UsageError(`${file}: ${error.message}`);
      throw error;
    }
    const config = readConfig(loadConfig);
    const database = await openDatabase(config);
    const store = await openEventStore(database.url, { migrate: true });
    try {
      const summary = await plan.run(store);
      process.stdout.write(
        `imported ${file}: ${counted(summary.subjects.count, summary.subjects.noun)}, ` +
          `${counted(summary.recorded, 'command')} recorded, ` +
          `${count(summary.alreadyRecorded)} already recorded\n`,
      );
    } catch (error) {
      if (error instanceof ImportEntryError) {
        throw new CommandFailure(
          `${file}: ${error.message} (the commands before it are recorded; fix the entry and ` +
            'import again)',
        );
      }
      throw error;
    } finally {
      await store.close();
      await database.stop();
    }
  });
}
