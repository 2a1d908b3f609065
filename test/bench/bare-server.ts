import http from 'node:http';
import pg from 'pg';

// The baseline of the commitment-query benchmark: the same data as the GraphQL query (the
// commitment, its milestones, its last 20 changes) from the same tables, with nothing in
// between: node:http, pg, three statements and JSON.stringify.

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const code = process.env.COMMITMENT_CODE ?? 'CartagenaCuenta-2023';

const server = http.createServer((request, response) => {
  void (async () => {
    try {
      const { rows } = await pool.query(
        'SELECT id, code, title, status, version FROM read.commitments WHERE code = $1 LIMIT 1',
        [code],
      );
      const commitment = rows[0];
      const [milestones, history] = await Promise.all([
        pool.query(
          `SELECT id, title, status, progress, planned_start AS "plannedStart", planned_end AS "plannedEnd"
             FROM read.milestones WHERE commitment_id = $1 ORDER BY ordinal`,
          [commitment.id],
        ),
        pool.query(
          `SELECT type, global_position AS position, metadata FROM events.events
            WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 20`,
          [`commitment-${commitment.id}`],
        ),
      ]);
      const body = JSON.stringify({
        data: {
          commitment: {
            ...commitment,
            milestones: milestones.rows,
            history: {
              edges: history.rows.map((row) => ({
                node: {
                  type: row.type,
                  position: Number(row.position),
                  occurredAt: row.metadata.occurredAt,
                  recordedAt: row.metadata.recordedAt,
                  reason: row.metadata.reason ?? null,
                  actor: row.metadata.actor,
                },
              })),
            },
          },
        },
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    } catch (error) {
      response.writeHead(500).end(String(error));
    }
  })();
  void request;
});

server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void pool.end();
});
