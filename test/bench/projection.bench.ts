import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import {
  COMMITMENT_SCHEMA_VERSIONS,
  commitmentStream,
  CommitmentsProjection,
  decide,
  evolve,
  initialState,
  type CommitmentCommand,
  type CommitmentState,
} from '#commitments';
import {
  CARTAGENA_2023_AGENCY_ID,
  cartagena2023,
  cartagena2023Milestones,
} from '../../libs/commitments/demo/index.js';
import { PostgresEventStore, type JsonObject, type NewEvent } from '#event-store';
import { CONTEXTS } from '#contexts';
import { contextReadSchema, openReadDatabase, ProjectionRunner } from '#platform';

export interface ProjectionResults {
  commitments: number;
  events: number;
  /** Seconds to write the log (not part of the measure). */
  seedSeconds: number;
  /**
   * Rounds: a rebuild (reset, then every event applied from position 0), then its baseline
   * (see bareRebuild).
   */
  rebuilds: {
    seconds: number;
    perSecond: number;
    /** CPU time of this process (Node.js: reading, folding, building the statements). */
    nodeCpuSeconds: number;
    bare: { readSeconds: number; writeSeconds: number; perSecond: number; nodeCpuSeconds: number };
  }[];
  /** Load average (1, 5, 15 min) before the first rebuild. */
  load: number[];
  batchSize: number;
  rows: { commitments: number; milestones: number; evidence: number; budget: number };
}

const EVIDENCE = {
  kind: 'link' as const,
  url: 'https://cartagena.gov.co/rendicion-de-cuentas/informe.pdf',
  mediaType: 'application/pdf',
  description: 'Informe de avance publicado en el portal del Distrito',
};

/**
 * A commitment's commands, as the decider accepts them: the Cartagena template with its
 * seven milestones, publication, budget, a reschedule, then progress reports with evidence
 * and completions over the year: 40 events, about 400 bytes each on average.
 */
function commandsFor(
  commitmentId: string,
  i: number,
): { command: CommitmentCommand; day: string }[] {
  const id = { commitmentId };
  const commands: { command: CommitmentCommand; day: string }[] = [
    {
      day: '2023-01-10',
      command: {
        type: 'RegisterCommitment',
        data: { ...cartagena2023, commitmentId, code: `CTG-${String(i).padStart(5, '0')}` },
      },
    },
    ...cartagena2023Milestones.map((m) => ({
      day: '2023-01-10',
      command: { type: 'AddMilestone', data: { ...id, ...m } } as CommitmentCommand,
    })),
    { day: '2023-01-16', command: { type: 'PublishCommitment', data: id } },
    {
      day: '2023-01-20',
      command: {
        type: 'RecordBudget',
        data: {
          ...id,
          lineId: '2-3-1-02',
          phase: 'approved',
          amountCop: 450_000_000,
          fundingSource: 'Recursos propios',
        },
      },
    },
    {
      day: '2023-02-20',
      command: {
        type: 'RescheduleMilestone',
        data: {
          ...id,
          milestoneId: 'm3',
          plannedStart: '2023-03',
          plannedEnd: '2023-03',
          reason: 'La consulta cierra el 28 de febrero',
        },
      },
    },
  ];
  const months = ['02', '03', '04', '05', '06', '07', '08', '09', '10', '11'];
  for (const [k, month] of months.entries()) {
    for (const milestoneId of ['m6', 'm7']) {
      commands.push({
        day: `2023-${month}-15`,
        command: {
          type: 'ReportProgress',
          data: {
            ...id,
            milestoneId,
            percent: 5 + k * 9,
            note: `Avance de ${milestoneId} en el mes ${month}`,
            evidence: [{ ...EVIDENCE, sha256: randomUUID().replaceAll('-', '').padEnd(64, '0') }],
          },
        },
      });
    }
  }
  for (const [k, milestoneId] of ['m1', 'm2', 'm3', 'm4', 'm5'].entries()) {
    commands.push({
      day: `2023-0${k + 3}-28`,
      command: {
        type: 'CompleteMilestone',
        data: { ...id, milestoneId, evidence: [{ ...EVIDENCE, sha256: 'c'.repeat(64) }] },
      },
    });
  }
  return commands;
}

/** The events of one commitment, decided and evolved as the command handler would. */
export function eventsFor(commitmentId: string, i: number): NewEvent[] {
  let state: CommitmentState = initialState;
  const events: NewEvent[] = [];
  for (const { command, day } of commandsFor(commitmentId, i)) {
    const occurredAt = new Date(`${day}T14:00:00.000Z`);
    for (const event of decide(command, state, { now: occurredAt })) {
      const id = randomUUID();
      state = evolve(state, { ...event, id });
      events.push({
        id,
        type: event.type,
        schemaVersion: COMMITMENT_SCHEMA_VERSIONS[event.type],
        data: event.data as unknown as JsonObject,
        metadata: {
          actor: {
            subject: 'planeacion-bench',
            role: 'steward',
            agency: CARTAGENA_2023_AGENCY_ID,
          },
          occurredAt,
          ...('reason' in command.data && command.data.reason
            ? { reason: command.data.reason }
            : {}),
        },
      });
    }
  }
  return events;
}

/** This process's CPU time (user and system) since `from`, in seconds. */
function cpuSince(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

const READ_TABLES = ['commitments', 'milestones', 'evidence', 'budget_lines'];

/** A read-model table's rows, every value in PostgreSQL's text form. */
interface TableRows {
  table: string;
  columns: string[];
  rows: (string | null)[][];
}

/**
 * The rows of `tables` (in schema read) as they stand, as text: what the baseline writes
 * back. Generated columns are left out; PostgreSQL computes them on insert.
 */
async function captureRows(url: string, tables: string[]): Promise<TableRows[]> {
  const client = new pg.Client({
    connectionString: url,
    types: { getTypeParser: () => (value: string) => value },
  });
  await client.connect();
  try {
    const captured: TableRows[] = [];
    for (const table of tables) {
      const { rows: columns } = await client.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
          WHERE table_schema = 'read' AND table_name = $1 AND is_generated = 'NEVER'
            AND (identity_generation IS NULL OR identity_generation <> 'ALWAYS')
          ORDER BY ordinal_position`,
        [table],
      );
      const names = columns.map((c) => c.column_name);
      const { rows } = await client.query<(string | null)[]>({
        text: `SELECT ${names.map((n) => `"${n}"`).join(', ')} FROM read.${table}`,
        rowMode: 'array',
      });
      captured.push({ table, columns: names, rows });
    }
    return captured;
  } finally {
    await client.end();
  }
}

/**
 * The rebuild's baseline, the minimal version of the same work with plain pg: read every
 * event of the log with the store's own statement, in pages of `batchSize` by position,
 * then, into the emptied tables, write the final rows the rebuild produced with multi-row
 * INSERTs (up to 1,000 rows a statement, values as text parameters) in one transaction.
 * Rate: events / (read time + write time).
 */
async function bareRebuild(
  url: string,
  args: { events: number; batchSize: number; rows: TableRows[] },
): Promise<{
  readSeconds: number;
  writeSeconds: number;
  perSecond: number;
  nodeCpuSeconds: number;
}> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let started = performance.now();
    const cpu = process.cpuUsage();
    let read = 0;
    for (let from = 0; ;) {
      const { rows } = await client.query<{ global_position: string }>(
        `SELECT global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata
           FROM events.events WHERE global_position >= $1 ORDER BY global_position LIMIT $2`,
        [from, args.batchSize],
      );
      if (rows.length === 0) break;
      read += rows.length;
      from = Number(rows[rows.length - 1].global_position) + 1;
    }
    const readSeconds = (performance.now() - started) / 1000;
    if (read !== args.events) throw new Error(`the baseline read ${read} of ${args.events} events`);

    started = performance.now();
    await client.query('BEGIN');
    for (const { table, columns, rows } of args.rows) {
      const perStatement = Math.min(1000, Math.floor(65_535 / columns.length));
      for (let from = 0; from < rows.length; from += perStatement) {
        const slice = rows.slice(from, from + perStatement);
        const values = slice.map(
          (_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`,
        );
        await client.query(
          `INSERT INTO read.${table} (${columns.map((n) => `"${n}"`).join(', ')}) VALUES ${values.join(', ')}`,
          slice.flat(),
        );
      }
    }
    await client.query('COMMIT');
    const writeSeconds = (performance.now() - started) / 1000;
    return {
      readSeconds,
      writeSeconds,
      perSecond: args.events / (readSeconds + writeSeconds),
      nodeCpuSeconds: cpuSince(cpu),
    };
  } finally {
    await client.end();
  }
}

/**
 * Projection rebuild rate: a log of `commitments` commitments whose events are interleaved
 * (each commitment's 40 events appended in four chunks, round after round), then the
 * commitments projection reset and replayed from position 0 by the runner, `runs` times.
 */
export async function benchProjection(
  url: string,
  options: { commitments: number; runs?: number; batchSize?: number; log?: (line: string) => void },
): Promise<ProjectionResults> {
  const log = options.log ?? (() => undefined);
  const batchSize = options.batchSize ?? 10_000;
  const store = await PostgresEventStore.open({ connectionString: url, poolSize: 8 });
  // Every context's tables (#contexts), as the server migrates them; the commitments
  // projection alone is rebuilt and measured.
  const dataSource = await openReadDatabase({
    connectionString: url,
    ...contextReadSchema(CONTEXTS),
  });
  try {
    const seedStarted = performance.now();
    const streams = Array.from({ length: options.commitments }, (_, i) => {
      const commitmentId = `bench-${i}`;
      return { stream: commitmentStream(commitmentId), events: eventsFor(commitmentId, i) };
    });
    const chunk = 10;
    for (let round = 0; round * chunk < streams[0].events.length; round++) {
      await Promise.all(
        streams.map((s) =>
          s.events.length > round * chunk
            ? store.append(
                s.stream,
                s.events.slice(round * chunk, (round + 1) * chunk),
                round * chunk,
              )
            : undefined,
        ),
      );
    }
    const events = await store.head();
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    log(
      `wrote ${events} events of ${options.commitments} commitments in ${seedSeconds.toFixed(1)} s`,
    );

    const rebuilds: ProjectionResults['rebuilds'] = [];
    const load = os.loadavg();
    let finalRows: TableRows[] | undefined;
    for (let run = 0; run < (options.runs ?? 3); run++) {
      const runner = new ProjectionRunner(store, dataSource, [new CommitmentsProjection(store)], {
        connectionString: url,
        batchSize,
      });
      await runner.reset('commitments');
      await dataSource.query(
        'VACUUM ANALYZE read.commitments, read.milestones, read.evidence, read.budget_lines',
      );
      const started = performance.now();
      const cpu = process.cpuUsage();
      const applied = await runner.catchUpOnce();
      const seconds = (performance.now() - started) / 1000;
      const nodeCpuSeconds = cpuSince(cpu);
      if (applied?.commitments !== events) {
        throw new Error(`the rebuild applied ${applied?.commitments} of ${events} events`);
      }
      finalRows ??= await captureRows(url, READ_TABLES);
      await runner.reset('commitments');
      await dataSource.query(
        'VACUUM ANALYZE read.commitments, read.milestones, read.evidence, read.budget_lines',
      );
      const bare = await bareRebuild(url, { events, batchSize, rows: finalRows });
      rebuilds.push({ seconds, perSecond: events / seconds, nodeCpuSeconds, bare });
      log(
        `rebuild ${run + 1}: ${seconds.toFixed(2)} s, ${Math.round(events / seconds)} events/s; ` +
          `baseline: read ${bare.readSeconds.toFixed(2)} s + write ${bare.writeSeconds.toFixed(2)} s, ` +
          `${Math.round(bare.perSecond)} events/s; Node.js CPU ${nodeCpuSeconds.toFixed(2)} s and ${bare.nodeCpuSeconds.toFixed(2)} s`,
      );
    }
    const count = async (table: string) =>
      Number((await dataSource.query(`SELECT count(*) AS n FROM read.${table}`))[0].n);
    return {
      commitments: options.commitments,
      events,
      seedSeconds,
      rebuilds,
      load,
      batchSize,
      rows: {
        commitments: await count('commitments'),
        milestones: await count('milestones'),
        evidence: await count('evidence'),
        budget: await count('budget_lines'),
      },
    };
  } finally {
    await dataSource.destroy();
    await store.close();
  }
}
