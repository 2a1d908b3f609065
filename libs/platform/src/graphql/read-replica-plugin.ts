import type { ApolloServerPlugin } from '@apollo/server';
import type { CuentaContext } from '../auth/request-context.js';
import { recordOperation, type ReadReplicas } from '../database/read-replicas.js';
import type { ReadPositions } from '../projections/read-positions.js';
import { minPositionHeader } from './min-position.js';

export interface ReadReplicaPluginOptions {
  replicas: Pick<ReadReplicas, 'current' | 'usePrimary'>;
  /** Looks for a position on the request's replica (ReadPositions.settle, routed there). */
  reads: Pick<ReadPositions, 'settle'>;
  /** How long the replica may take to replay the header's position (ms). */
  waitMs: number;
}

/**
 * Tells the read routing which operations a request runs (only a request of queries reads
 * from a replica), and keeps a request whose X-Cuenta-Min-Position header asks for a
 * position its replica has not replayed within `waitMs` on the primary: every read of that
 * request, read models, history and proofs alike, then sees the position. Goes before the
 * read cache, whose version is read from the database the request reads from.
 */
export function readReplicaPlugin(
  options: ReadReplicaPluginOptions,
): ApolloServerPlugin<CuentaContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation === undefined) return;
          recordOperation(operation.operation);
          if (operation.operation !== 'query') return;
          let header: number | undefined;
          try {
            header = minPositionHeader(contextValue);
          } catch {
            return; // a malformed header: the resolvers that read it refuse it by name
          }
          if (header === undefined || options.replicas.current() === undefined) return;
          const reached = await options.reads.settle([header], options.waitMs);
          if (!reached || options.replicas.current() === undefined) options.replicas.usePrimary();
        },
      };
    },
  };
}
