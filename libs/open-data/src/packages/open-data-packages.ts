import { setTimeout as sleep } from 'node:timers/promises';
import type { Writable } from 'node:stream';
import type { DataSource, QueryRunner } from 'typeorm';
import { LOG_SIZE_SQL, type EventFilter, type EventStore } from '#event-store';
import { ReadModelsBehindError } from '#platform';
import { toBase64 } from '#ledger';
import { thresholdsFrom, type Thresholds } from '#oversight';
import { packageDescriptor, type PackageCut } from './package-descriptor.js';
import { PACKAGE_RESOURCES } from './resources/index.js';
import type { CutContext, PackageRow, ResourceSpec } from './resource.js';
import { csvLine, packageRow, tableSchemaDateTime } from './values.js';

/** What the package needs of the transparency log (PostgresLedger). */
export interface PackageLedger {
  readonly origin: string;
  readonly verifierKey: string;
  /** The smallest checkpoint covering `position`, signing one if none does yet. */
  checkpointCovering(
    position: number,
  ): Promise<{ size: number; rootHash: Uint8Array; note: string }>;
}

export interface OpenDataPackagesOptions {
  /** The database of the log and the read models. */
  dataSource: DataSource;
  store: EventStore;
  /** Every projection feeding the read models the resources read: names and filters. */
  projections: readonly { name: string; filter?: EventFilter }[];
  ledger: PackageLedger;
  /** How long to wait, in ms, for the read models to hold the whole log before giving up. */
  waitMs: number;
  /** Rows fetched per round trip while streaming. */
  batchSize?: number;
  /**
   * Snapshots open at once, at most (default 2): each holds a connection of the read models'
   * pool, which the API's queries share, for as long as its reader takes.
   */
  maxOpen?: number;
  resources?: readonly ResourceSpec[];
  /** The red-flag thresholds in force (default: the rules' defaults). */
  redFlagThresholds?: Thresholds;
}

/** Every snapshot the package may hold is in use: ask again shortly. */
export class PackagesBusyError extends Error {
  constructor(readonly open: number) {
    super(
      `${open} open-data downloads are being served, as many as this server serves at once; ` +
        'ask again in a few seconds',
    );
    this.name = 'PackagesBusyError';
  }
}

const FIRST_PAUSE_MS = 5;
const LONGEST_PAUSE_MS = 200;

/**
 * Cuenta's open data as a Frictionless Data Package, every resource read at one cut of the log.
 *
 * The cut: one REPEATABLE READ snapshot in which the log's size and every projection's
 * checkpoint are read together, taken only when every read model holds exactly the log's
 * first `logSize` events (a projection holds them when its checkpoint is at the head, or when
 * no event its filter takes lies between its checkpoint and the head). Read models that lag
 * are waited for; a read model cannot run ahead of the log it reads, so the snapshot's rows
 * and the history read from the log in the same snapshot describe one log prefix. Every row is
 * then read, streamed through a cursor, in that snapshot. The checkpoint named is the smallest
 * signed one covering the prefix (one is signed if none does yet).
 */
export class OpenDataPackages {
  readonly resources: readonly ResourceSpec[];
  private readonly byName: Map<string, ResourceSpec>;
  private opened = 0;

  constructor(private readonly options: OpenDataPackagesOptions) {
    this.resources = options.resources ?? PACKAGE_RESOURCES;
    this.byName = new Map(this.resources.map((r) => [r.name, r]));
  }

  resource(name: string): ResourceSpec | undefined {
    return this.byName.get(name);
  }

  /**
   * Opens a snapshot at a consistent cut; close it when done.
   * @throws ReadModelsBehindError when the read models did not hold the whole log within
   *   `waitMs`; PackagesBusyError when `maxOpen` snapshots are open
   */
  async open(): Promise<PackageSnapshot> {
    const maxOpen = this.options.maxOpen ?? 2;
    if (this.opened >= maxOpen) throw new PackagesBusyError(this.opened);
    this.opened++;
    try {
      const snapshot = await this.cut();
      snapshot.onClose(() => this.opened--);
      return snapshot;
    } catch (error) {
      this.opened--;
      throw error;
    }
  }

  private async cut(): Promise<PackageSnapshot> {
    const deadline = performance.now() + this.options.waitMs;
    let pause = FIRST_PAUSE_MS;
    for (;;) {
      const runner = this.options.dataSource.createQueryRunner();
      await runner.connect();
      let kept = false;
      try {
        await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const [row] = (await runner.query(
          `SELECT (${LOG_SIZE_SQL}) AS head,
                  COALESCE((SELECT json_object_agg(name, position) FROM read.projection_checkpoints),
                           '{}') AS checkpoints`,
        )) as { head: string; checkpoints: Record<string, string | number> }[];
        const logSize = Number(row.head);
        const reached = await this.heldBelow(logSize, row.checkpoints);
        if (reached >= logSize) {
          const asOf = logSize === 0 ? null : await this.recordedAt(runner, logSize - 1);
          const cut = await this.cutAt(logSize, asOf);
          kept = true;
          return new PackageSnapshot(
            runner,
            cut,
            this.resources,
            this.options.batchSize ?? 2000,
            this.options.redFlagThresholds ?? thresholdsFrom(undefined),
          );
        }
        const left = deadline - performance.now();
        if (left <= 0) throw new ReadModelsBehindError(logSize - 1, reached, this.options.waitMs);
        await sleep(Math.min(pause, left));
        pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
      } finally {
        if (!kept) {
          await runner.query('ROLLBACK').catch(() => undefined);
          await runner.release();
        }
      }
    }
  }

  /**
   * The position below which every projection holds the log, judged from checkpoints read in
   * the snapshot. Events below `logSize` never change, so whether a projection's filter takes
   * one of them may be read outside the snapshot.
   */
  private async heldBelow(
    logSize: number,
    checkpoints: Record<string, string | number>,
  ): Promise<number> {
    const held = await Promise.all(
      this.options.projections.map(async (projection) => {
        const checkpoint = Number(checkpoints[projection.name] ?? 0);
        if (checkpoint >= logSize) return logSize;
        const [next] = await this.options.store.readAll({
          from: checkpoint,
          limit: 1,
          filter: projection.filter,
        });
        return next === undefined ? logSize : Math.min(next.position, logSize);
      }),
    );
    return Math.min(logSize, ...held);
  }

  private async recordedAt(runner: QueryRunner, position: number): Promise<string> {
    const [row] = (await runner.query(
      `SELECT metadata->>'recordedAt' AS at FROM events.events WHERE global_position = $1`,
      [position],
    )) as { at: string }[];
    return tableSchemaDateTime(row.at);
  }

  private async cutAt(logSize: number, asOf: string | null): Promise<PackageCut> {
    const { ledger } = this.options;
    const checkpoint = logSize === 0 ? null : await ledger.checkpointCovering(logSize - 1);
    return {
      origin: ledger.origin,
      verifierKey: ledger.verifierKey,
      logSize,
      asOf,
      checkpoint: checkpoint && {
        size: checkpoint.size,
        rootHash: toBase64(checkpoint.rootHash),
        note: checkpoint.note,
      },
    };
  }
}

/** A writer that respects the destination's back-pressure: each write waits for room. */
export type ChunkWriter = (chunk: string) => Promise<void>;

/** Writes to a Node stream, waiting for 'drain' when its buffer is full. */
export function streamWriter(stream: Writable): ChunkWriter {
  return (chunk) => {
    if (stream.destroyed) return Promise.reject(new Error('the destination was closed'));
    if (stream.write(chunk)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        stream.off('drain', drained);
        stream.off('error', failed);
        stream.off('close', closed);
      };
      const drained = () => {
        cleanup();
        resolve();
      };
      const failed = (error: Error) => {
        cleanup();
        reject(error);
      };
      const closed = () => {
        cleanup();
        reject(new Error('the destination was closed'));
      };
      stream.once('drain', drained);
      stream.once('error', failed);
      stream.once('close', closed);
    });
  };
}

/** One package's snapshot: the descriptor and every resource's rows, all at one cut. */
export class PackageSnapshot {
  private closed = false;
  private cursors = 0;
  private readonly closers: (() => void)[] = [];

  constructor(
    private readonly runner: QueryRunner,
    readonly cut: PackageCut,
    private readonly resources: readonly ResourceSpec[],
    private readonly batchSize: number,
    private readonly redFlagThresholds: Thresholds,
  ) {}

  /** datapackage.json's content. */
  descriptor() {
    return packageDescriptor(this.cut, this.resources);
  }

  /** The resource's published rows, a batch at a time, read through a cursor. */
  async *batches(resource: ResourceSpec): AsyncGenerator<PackageRow[]> {
    const cursor = `open_data_${++this.cursors}`;
    const context: CutContext = {
      logSize: this.cut.logSize,
      asOf: this.cut.asOf,
      redFlagThresholds: this.redFlagThresholds,
    };
    await this.runner.query(
      `DECLARE ${cursor} NO SCROLL CURSOR FOR ${resource.sql}`,
      /\$1\b/.test(resource.sql) ? [this.cut.logSize] : [],
    );
    const fetch = () => {
      const rows = this.runner.query(`FETCH FORWARD ${this.batchSize} FROM ${cursor}`) as Promise<
        Record<string, unknown>[]
      >;
      // Handled here as well as where it is awaited: a failure while the caller is still
      // writing the previous batch must not count as an unhandled rejection.
      rows.catch(() => undefined);
      return rows;
    };
    // The next batch is fetched while the caller writes this one: PostgreSQL and the writer
    // work at once, and at most two batches are in memory.
    let next = fetch();
    try {
      for (;;) {
        const rows = await next;
        if (rows.length === 0) return;
        next = fetch();
        yield rows.flatMap((row) =>
          (resource.rows ? resource.rows(row, context) : [row]).map((r) => packageRow(resource, r)),
        );
      }
    } finally {
      await next.catch(() => undefined);
      await this.runner.query(`CLOSE ${cursor}`).catch(() => undefined);
    }
  }

  /** The resource as UTF-8 CSV: one header row of field names, one column per field. */
  async writeCsv(resource: ResourceSpec, write: ChunkWriter): Promise<number> {
    const names = resource.fields.map((f) => f.name);
    await write(csvLine(names));
    let count = 0;
    for await (const rows of this.batches(resource)) {
      await write(rows.map((row) => csvLine(names.map((name) => row[name]))).join(''));
      count += rows.length;
    }
    return count;
  }

  /**
   * The resource as JSON: the cut, then `rows`, each an object with every field (null for an
   * empty cell), the same values as the CSV's cells.
   */
  async writeJson(resource: ResourceSpec, write: ChunkWriter): Promise<number> {
    const head = {
      resource: resource.name,
      logSize: this.cut.logSize,
      asOf: this.cut.asOf,
      checkpoint: this.cut.checkpoint && {
        size: this.cut.checkpoint.size,
        rootHash: this.cut.checkpoint.rootHash,
      },
    };
    await write(`${JSON.stringify(head).slice(0, -1)},"rows":[`);
    let count = 0;
    for await (const rows of this.batches(resource)) {
      await write(
        rows.map((row, i) => `${count + i === 0 ? '' : ','}\n${JSON.stringify(row)}`).join(''),
      );
      count += rows.length;
    }
    await write('\n]}\n');
    return count;
  }

  /** Runs `closer` once the snapshot is closed. */
  onClose(closer: () => void): void {
    this.closers.push(closer);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.runner.query('COMMIT').catch(() => undefined);
      await this.runner.release();
    } finally {
      for (const closer of this.closers) closer();
    }
  }
}
