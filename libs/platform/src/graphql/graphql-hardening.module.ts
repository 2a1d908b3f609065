import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { Server } from 'node:http';
import { Authenticator } from '../auth/authenticator.js';
import type { Config } from '../config/config.js';
import { CallerRateLimiter } from '../rate-limit/rate-limiter.js';
import { serveGraphQLOverWebSocket, type FormatError } from './graphql-ws.server.js';
import { PersistedOperations } from './persisted-operations.js';
import { RequestGate } from './request-gate.js';

export interface GraphQLHardeningOptions {
  config: Config;
  /** The app's error formatter, used for graphql-ws too. */
  formatError: FormatError;
  /** Where GraphQL is served, over HTTP and WebSocket. */
  path: string;
}

const OPTIONS = Symbol('GraphQLHardeningOptions');

/** Serves graphql-ws on the app's HTTP server once the schema exists; closes it first on shutdown. */
@Injectable()
class GraphQLWebSocketServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server: { close(): Promise<void> } | undefined;

  constructor(
    @Inject(OPTIONS) private readonly options: GraphQLHardeningOptions,
    private readonly gate: RequestGate,
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    this.server = serveGraphQLOverWebSocket({
      httpServer: this.adapterHost.httpAdapter.getHttpServer() as Server,
      path: this.options.path,
      schema: this.moduleRef.get(GraphQLSchemaHost, { strict: false }).schema,
      gate: this.gate,
      formatError: this.options.formatError,
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }
}

/**
 * The request gate (identity, rate limit, batch, allow-list, token limit) for HTTP, and
 * graphql-ws with the same checks. Needs AuthModule. Use `hardenedApolloOptions(gate)` in
 * the GraphQLModule options, and do not enable the driver's own `subscriptions`.
 */
@Module({})
export class GraphQLHardeningModule {
  static forRoot(options: GraphQLHardeningOptions): DynamicModule {
    const { config } = options;
    return {
      module: GraphQLHardeningModule,
      global: true,
      providers: [
        { provide: OPTIONS, useValue: options },
        {
          provide: RequestGate,
          inject: [Authenticator, CallerRateLimiter],
          useFactory: async (authenticator: Authenticator, rateLimiter: CallerRateLimiter) =>
            new RequestGate({
              authenticator,
              rateLimiter,
              limits: config.graphql,
              trustProxy: config.trustProxy,
              persisted: config.graphql.persistedOperations
                ? await PersistedOperations.load(config.graphql.persistedOperations)
                : undefined,
            }),
        },
        GraphQLWebSocketServer,
      ],
      exports: [RequestGate],
    };
  }
}
