import pg from 'pg';

/** Advisory lock key of the active runner ('cprj'); one holder per database. */
export const PROJECTION_LOCK = 0x6370726a;

/**
 * A lease on work that one process of a deployment does at a time: a session advisory lock,
 * `key`, on a connection of its own. When the holder's process dies its session ends and the
 * lock is free for a standby.
 */
export class AdvisoryLease {
  private client: pg.Client | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly key: number,
    private readonly applicationName: string,
  ) {}

  /** True while this lease holds the lock. */
  get held(): boolean {
    return this.client !== undefined;
  }

  /** Takes the lock if it is free; false when another process holds it or the database is down. */
  async acquire(): Promise<boolean> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: this.applicationName,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1) AS locked',
        [this.key],
      );
      if (rows[0].locked) {
        this.client = client;
        return true;
      }
    } catch {
      // the database is unreachable: stay a standby
    }
    await client.end().catch(() => undefined);
    return false;
  }

  /** Lets the lock go and closes its connection (never throws). */
  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await client.query('SELECT pg_advisory_unlock($1)', [this.key]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  /**
   * Calls `onLost` when the lock's connection fails, ends, or does not answer a heartbeat
   * every `heartbeatMs`. Returns the function that stops the heartbeat.
   */
  watch(heartbeatMs: number, onLost: () => void): () => void {
    const client = this.client;
    client?.once('error', onLost);
    client?.once('end', onLost);
    const heartbeat = setInterval(() => {
      client?.query('SELECT 1').catch(onLost);
    }, heartbeatMs);
    return () => clearInterval(heartbeat);
  }

  /**
   * Calls `onPayload` with the payload of each notification on `channel`, once `LISTEN` on the
   * lock's connection has been sent. Returns the function that stops calling it.
   */
  onNotification(channel: string, onPayload: (payload: string) => void): () => void {
    const client = this.client;
    const listener = (message: pg.Notification) => {
      if (message.channel === channel) onPayload(message.payload ?? '');
    };
    client?.on('notification', listener);
    return () => client?.off('notification', listener);
  }

  /** Subscribes the lock's connection to `channel` (see onNotification). */
  async listen(channel: string): Promise<void> {
    await this.client?.query(`LISTEN ${channel}`);
  }
}

/**
 * The active projection runner's lease. Only its holder feeds the projections; a standby
 * takes over from the checkpoints when the holder's session ends.
 */
export class ProjectionLease extends AdvisoryLease {
  constructor(connectionString: string) {
    super(connectionString, PROJECTION_LOCK, 'cuenta-projection-runner');
  }
}
