import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { MetricsConfig } from '#platform';
import { MetricsService } from './metrics.service.js';

export const METRICS_CONFIG = Symbol('METRICS_CONFIG');

/**
 * `GET /metrics` on a port of its own, apart from the public API: nothing a client of the
 * API sends reaches it, and a firewall can keep it to the monitoring network. With a token
 * configured, a scrape without `Authorization: Bearer <token>` gets 401.
 */
@Injectable()
export class MetricsEndpoint implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | undefined;

  constructor(
    @Inject(METRICS_CONFIG) private readonly config: MetricsConfig,
    private readonly metrics: MetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { port, host } = this.config;
    if (port === undefined) return;
    const server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const bound = (server.address() as AddressInfo).port;
    this.logger.log(`metrics on http://${host}:${bound}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      return void response
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('only GET /metrics is served here\n');
    }
    if (!this.authorized(request.headers.authorization)) {
      return void response
        .writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' })
        .end('a scrape needs the metrics bearer token (CUENTA_METRICS_TOKEN)\n');
    }
    const text = await this.metrics.scrape();
    response.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(text);
  }

  private authorized(header: string | undefined): boolean {
    const { token } = this.config;
    if (token === undefined) return true;
    // Hashes make the comparison constant-time whatever the length sent.
    const digest = (text: string) => createHash('sha256').update(text).digest();
    return timingSafeEqual(digest(header ?? ''), digest(`Bearer ${token}`));
  }
}
