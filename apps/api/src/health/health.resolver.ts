import { Query, Resolver } from '@nestjs/graphql';
import { Allow, readFromPrimary } from '#platform';
import { HealthModel } from './health.model.js';
import { HealthService } from './health.service.js';

@Resolver(() => HealthModel)
export class HealthResolver {
  constructor(private readonly service: HealthService) {}

  @Allow('anonymous')
  @Query(() => HealthModel, {
    description: 'Whether the service can reach its database, and the log head.',
  })
  health(): Promise<HealthModel> {
    // The primary's state, as /health reports it, also in a request a read replica serves.
    readFromPrimary();
    return this.service.check();
  }
}
