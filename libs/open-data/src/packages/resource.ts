/**
 * What a published table is: its Table Schema (fields, keys) and how its rows are read. One
 * `ResourceSpec` per table; the package lists them in `PACKAGE_RESOURCES`.
 */
import type { Thresholds } from '#oversight';

/** Table Schema types Cuenta publishes (specs.frictionlessdata.io/table-schema). */
export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'array';

/** Text in the two languages of Cuenta's readers. */
export interface Bilingual {
  es: string;
  en: string;
}

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** What the field holds, for people. */
  description: Bilingual;
  required?: boolean;
  unique?: boolean;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

export interface ForeignKeySpec {
  fields: string[];
  resource: string;
  reference: string[];
}

/** A row as read, before it is shaped to the fields: column name to value. */
/** The stream version a row shows: the same column in every table of a stream's state. */
export const STREAM_VERSION_FIELD: FieldSpec = {
  name: 'version',
  type: 'integer',
  required: true,
  minimum: 1,
  description: {
    es: 'Versión de su flujo de eventos que muestra la fila',
    en: 'Version of its event stream the row shows',
  },
};

/** Where a row stands in the log: the same column in every table of a stream's state. */
export const LAST_POSITION_FIELD: FieldSpec = {
  name: 'lastPosition',
  type: 'integer',
  required: true,
  minimum: 0,
  description: {
    es: 'Posición en el registro del último evento que cambió la fila: su prueba de inclusión la liga al punto de control firmado',
    en: 'Log position of the last event that changed the row: its inclusion proof ties it to the signed checkpoint',
  },
};

export type SourceRow = Record<string, unknown>;

/** A published row: field name to its JSON value (null for an empty cell). */
export type PackageRow = Record<string, string | number | boolean | string[] | null>;

/** What every row of a package is cut at. */
export interface CutContext {
  /**
   * The red-flag thresholds in force where the package is cut (CUENTA_RED_FLAG_THRESHOLDS),
   * so the package's flags are the ones the API reports.
   */
  redFlagThresholds: Thresholds;
  /** The log's size at the cut: rows reflect exactly the events at positions below it. */
  logSize: number;
  /**
   * When the last event of the cut was recorded (ISO-8601), or null for an empty log. Rows
   * that depend on "today" (a milestone past its due date) are judged as of this instant, so a
   * package cut at a size always reads the same.
   */
  asOf: string | null;
}

export interface ResourceSpec {
  /** Lower case, digits and `-`: the file is `<name>.csv`. */
  name: string;
  title: Bilingual;
  description: Bilingual;
  fields: readonly FieldSpec[];
  primaryKey: readonly string[];
  foreignKeys?: readonly ForeignKeySpec[];
  /**
   * One statement reading the rows in the package's snapshot, in a stable order (the primary
   * key's). It may use `$1`, the cut's log size (a read of the log itself needs it).
   */
  sql: string;
  /** Turns one source row into the published rows (none, one or several); default: as read. */
  rows?(row: SourceRow, cut: CutContext): SourceRow[];
}
