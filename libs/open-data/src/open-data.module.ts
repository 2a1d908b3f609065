import { Module, type DynamicModule } from '@nestjs/common';
import { FeedsModule } from './feeds/feeds.module.js';
import { StatisticsModule } from './statistics/statistics.module.js';
import { PackagesModule } from './packages/packages.module.js';

/**
 * The open-data context: what Cuenta publishes for reuse, every figure cut at a signed
 * checkpoint: Frictionless data packages, statistics by territory and group, and Atom feeds.
 * It records no events of its own; it reads the other contexts' read models and the log.
 * Each part is a module of its own; this one gathers them.
 */
@Module({})
export class OpenDataModule {
  static forRoot(): DynamicModule {
    return {
      module: OpenDataModule,
      imports: [StatisticsModule.forRoot(), FeedsModule.forRoot(), PackagesModule],
    };
  }
}
