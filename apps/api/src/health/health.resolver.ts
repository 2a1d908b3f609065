import { Query, Resolver } from '@nestjs/graphql';
import { Allow } from '#platform';
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
    return this.service.check();
  }
}
