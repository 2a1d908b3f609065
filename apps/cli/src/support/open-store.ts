import { CONTEXTS } from '#contexts';
import { PostgresEventStore } from '#event-store';
import { contextUpcasters } from '#platform';

/**
 * The one way the CLI opens the event store: with every context's upcasters (#contexts), so
 * old events read as the domain now expects them, as in the server.
 */
export function openEventStore(
  connectionString: string,
  options: { migrate: boolean },
): Promise<PostgresEventStore> {
  return PostgresEventStore.open({
    connectionString,
    migrate: options.migrate,
    poolSize: 4,
    upcasters: contextUpcasters(CONTEXTS),
  });
}
