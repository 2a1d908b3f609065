/**
 * An entry of an import file was refused: the message names the entry (its JSON path) and
 * why. The commands of the entries before it are recorded; nothing of this one is.
 */
export class ImportEntryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportEntryError';
  }
}
