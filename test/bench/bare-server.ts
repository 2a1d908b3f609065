import http from 'node:http';
import pg from 'pg';
import {
  COMMITMENT_SQL,
  HISTORY_SQL,
  historyNode,
  MILESTONES_SQL,
  type HistoryRow,
} from './commitment-statements.js';

// The baseline of the commitment-query benchmark: the same data as the GraphQL query (the
// commitment, its milestones, its last 20 changes) from the same tables, with nothing in
// between: node:http, pg, three statements and JSON.stringify.

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const code = process.env.COMMITMENT_CODE ?? 'CartagenaCuenta-2023';

const server = http.createServer((request, response) => {
  void (async () => {
    try {
      const { rows } = await pool.query(COMMITMENT_SQL, [code]);
      const commitment = rows[0];
      const [milestones, history] = await Promise.all([
        pool.query(MILESTONES_SQL, [commitment.id]),
        pool.query<HistoryRow>(HISTORY_SQL, [`commitment-${commitment.id}`, 20]),
      ]);
      const body = JSON.stringify({
        data: {
          commitment: {
            ...commitment,
            milestones: milestones.rows,
            history: { edges: history.rows.map((row) => ({ node: historyNode(row) })) },
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
