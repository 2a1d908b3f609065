import pg from 'pg';
import { cartagena2023Milestones } from '../../libs/commitments/demo/index.js';
import { cartagenaRegistration } from '../support/cartagena.js';
import { graphql } from '../support/server.js';

// What the fault suites share: a commitment workload sent to the API over HTTP that keeps
// what the API acknowledged, checks of the log and read models read straight from
// PostgreSQL, and a client of the API's inspector that forces a garbage collection.

/** The events of one acknowledged command, as the API answered them. */
export interface Acknowledged {
  eventIds: string[];
  positions: number[];
}

const RESULT = 'eventIds positions';

/**
 * Runs one commitment command; resolves with its result when the API acknowledged it, with
 * undefined when the request failed on the way (the process died, the connection dropped)
 * and throws when the API answered with an error.
 */
export async function send(
  url: string,
  headers: Record<string, string>,
  name: string,
  input: object,
): Promise<Acknowledged | undefined> {
  const inputType = `${name[0].toUpperCase()}${name.slice(1)}Input`;
  let body;
  try {
    ({ body } = await graphql(
      url,
      `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${RESULT} } }`,
      { input },
      headers,
    ));
  } catch {
    return undefined;
  }
  if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
  return body.data?.[name] as Acknowledged;
}

/**
 * A commitment the workload writes: registered, two milestones added, published, then
 * progress reported on it. Each step is one command; `ack` gets every one acknowledged.
 */
export async function writeCommitment(options: {
  url: string;
  steward: Record<string, string>;
  id: string;
  reports: number;
  ack: (result: Acknowledged) => void;
  /** Stop before the next command when this returns true. */
  stopped?: () => boolean;
}): Promise<boolean> {
  const { url, steward, id } = options;
  const steps: Array<[string, object]> = [
    ['registerCommitment', cartagenaRegistration({ commitmentId: id, code: `Code-${id}` })],
    ...cartagena2023Milestones
      .slice(0, 2)
      .map((m): [string, object] => ['addMilestone', { commitmentId: id, ...m }]),
    ['publishCommitment', { commitmentId: id }],
    ...Array.from({ length: options.reports }, (_, i): [string, object] => [
      'reportProgress',
      { commitmentId: id, milestoneId: cartagena2023Milestones[0].milestoneId, percent: i % 100 },
    ]),
  ];
  for (const [name, input] of steps) {
    if (options.stopped?.()) return false;
    const result = await send(url, steward, name, input);
    if (!result) return false;
    options.ack(result);
  }
  return true;
}

/** Runs SQL on `url` with a connection of its own. */
export async function sql<T extends pg.QueryResultRow>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** What the log holds, for the checks every fault test makes. */
export async function logFacts(url: string, acknowledged: readonly Acknowledged[]) {
  const [shape] = await sql<{ events: number; ids: number; first: number; last: number }>(
    url,
    `SELECT count(*)::int AS events, count(DISTINCT event_id)::int AS ids,
            coalesce(min(global_position), -1)::int AS first,
            coalesce(max(global_position), -1)::int AS last
       FROM events.events`,
  );
  const wanted = acknowledged.flatMap((a) => a.eventIds.map((id, i) => [id, a.positions[i]]));
  const stored = await sql<{ event_id: string; global_position: string }>(
    url,
    'SELECT event_id::text, global_position FROM events.events WHERE event_id = ANY($1::uuid[])',
    [wanted.map(([id]) => id)],
  );
  const found = new Map(stored.map((row) => [row.event_id, Number(row.global_position)]));
  return {
    ...shape,
    acknowledged: wanted.length,
    /** Acknowledged events missing, or stored at another position than acknowledged. */
    lost: wanted.filter(([id, position]) => found.get(id as string) !== position),
  };
}

/** Each projection's checkpoint, and the log's size. */
export async function projectionLag(url: string) {
  const checkpoints = await sql<{ name: string; position: string }>(
    url,
    'SELECT name, position FROM read.projection_checkpoints ORDER BY name',
  );
  const [{ size }] = await sql<{ size: string }>(url, 'SELECT count(*) AS size FROM events.events');
  return {
    size: Number(size),
    behind: checkpoints.filter((c) => Number(c.position) !== Number(size)).map((c) => c.name),
  };
}

/**
 * Every row of every read-model table (not the runner's own bookkeeping), each table's rows
 * as JSON in a stable order: what two runs of the projections must agree on.
 */
export async function readModels(url: string): Promise<Record<string, string[]>> {
  const tables = await sql<{ name: string }>(
    url,
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'read' AND table_type = 'BASE TABLE'
        AND table_name NOT IN ('projection_checkpoints', 'parked_events')
        AND table_name NOT LIKE '%migrations%'
      ORDER BY table_name`,
  );
  const models: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = await sql<{ row: string }>(
      url,
      `SELECT to_jsonb(t)::text AS row FROM read.${name} t ORDER BY 1`,
    );
    models[name] = rows.map((r) => r.row);
  }
  return models;
}
