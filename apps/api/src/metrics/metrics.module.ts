import { Module, type DynamicModule } from '@nestjs/common';
import type { MetricsConfig } from '#platform';
import { METRICS_CONFIG, MetricsEndpoint } from './metrics.endpoint.js';
import { MetricsService } from './metrics.service.js';

/** Prometheus metrics (global: the GraphQL module's plugin records into the same registry). */
@Module({})
export class MetricsModule {
  static forRoot(config: MetricsConfig): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      providers: [{ provide: METRICS_CONFIG, useValue: config }, MetricsService, MetricsEndpoint],
      exports: [MetricsService],
    };
  }
}
