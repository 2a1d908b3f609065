import { Module, type DynamicModule } from '@nestjs/common';
import { HealthController } from './health.controller.js';
import { HealthResolver } from './health.resolver.js';
import { HealthService, READINESS_OPTIONS, type ReadinessOptions } from './health.service.js';

@Module({})
export class HealthModule {
  static forRoot(options: ReadinessOptions): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [{ provide: READINESS_OPTIONS, useValue: options }, HealthService, HealthResolver],
    };
  }
}
