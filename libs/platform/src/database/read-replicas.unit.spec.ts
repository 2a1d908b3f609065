import { afterEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { ReadReplica, ReadReplicas, recordOperation, withReadScope } from './read-replicas.js';

const lost = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), {
  code: 'ECONNREFUSED',
});

describe('ReadReplicas', () => {
  let clock = 1_000_000;
  const logged: string[] = [];
  const opened: ReadReplica[] = [];

  /** A replica whose DataSource opens at once (or never), named by its port. */
  const replica = (port: number, opens = true) => {
    const created = new ReadReplica({
      url: `postgres://reader:secret@10.0.0.2:${port}/cuenta`,
      poolSize: 2,
      connectTimeoutMs: 100,
      openDataSource: async () => {
        if (!opens) throw lost;
        return { destroy: async () => undefined } as unknown as DataSource;
      },
    });
    opened.push(created);
    return created;
  };
  const replicas = async (...list: ReadReplica[]) => {
    const created = new ReadReplicas(list, {
      downForMs: 5000,
      isConnectionLoss: (error) => error === lost,
      log: (line) => logged.push(line),
      now: () => clock,
    });
    await created.open();
    return created;
  };
  /** One request that runs only queries. */
  const query = <T>(work: () => T) =>
    withReadScope(() => {
      recordOperation('query');
      return work();
    });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((r) => r.close()));
    logged.splice(0);
  });

  it('names a replica by host, port and database, never by its user or password', () => {
    expect(replica(5433).label).toBe('10.0.0.2:5433/cuenta');
  });

  it('gives a replica only to a request that runs nothing but queries', async () => {
    const routing = await replicas(replica(5433));

    expect(routing.current()).toBeUndefined(); // outside any request
    expect(withReadScope(() => routing.current())).toBeUndefined(); // no operation yet
    expect(query(() => routing.current())?.label).toBe('10.0.0.2:5433/cuenta');
    for (const other of ['mutation', 'subscription'] as const) {
      expect(
        withReadScope(() => {
          recordOperation('query');
          recordOperation(other);
          return routing.current();
        }),
      ).toBeUndefined();
    }
  });

  it('keeps one replica for a whole request and takes them in turn across requests', async () => {
    const routing = await replicas(replica(5433), replica(5434));

    const firstRequest = query(() => [routing.current(), routing.current()].map((r) => r?.label));
    const secondRequest = query(() => routing.current()?.label);

    expect(firstRequest).toEqual(['10.0.0.2:5433/cuenta', '10.0.0.2:5433/cuenta']);
    expect(secondRequest).toBe('10.0.0.2:5434/cuenta');
  });

  it('reads from the primary while no replica could be opened', async () => {
    const routing = await replicas(replica(5433, false));

    expect(query(() => routing.current())).toBeUndefined();
  });

  it('answers from the primary when the replica is lost, and leaves the replica aside for a while', async () => {
    const down = replica(5433);
    const routing = await replicas(down);

    const answer = await query(() =>
      routing.route(
        async () => {
          throw lost;
        },
        async () => 'primary',
      ),
    );

    expect(answer).toBe('primary');
    expect(logged).toEqual([
      'read replica 10.0.0.2:5433/cuenta unreachable (connect ECONNREFUSED 127.0.0.1:5433); ' +
        'reading from the primary for 5 s',
    ]);
    expect(query(() => routing.current())).toBeUndefined();
    clock += 5000;
    expect(query(() => routing.current())).toBe(down);
  });

  it('moves only the request to the primary when a statement fails for itself', async () => {
    const routing = await replicas(replica(5433));

    const [answer, after] = await query(async () => [
      await routing.route(
        async () => {
          throw new Error('canceling statement due to conflict with recovery');
        },
        async () => 'primary',
      ),
      routing.current(),
    ]);

    expect([answer, after]).toEqual(['primary', undefined]);
    expect(logged).toEqual([]);
    expect(query(() => routing.current())?.label).toBe('10.0.0.2:5433/cuenta');
  });

  it('reads on the replica when it answers', async () => {
    const routing = await replicas(replica(5433));

    const answer = await query(() =>
      routing.route(
        async (chosen) => `replica ${chosen.label}`,
        async () => 'primary',
      ),
    );

    expect(answer).toBe('replica 10.0.0.2:5433/cuenta');
  });
});
