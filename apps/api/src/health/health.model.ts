import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('DatabaseHealth')
export class DatabaseHealthModel {
  @Field()
  reachable: boolean;

  @Field(() => Float, {
    nullable: true,
    description: 'Round trip of the check query, in milliseconds.',
  })
  latencyMs: number | null;

  @Field(() => String, { nullable: true })
  error: string | null;
}

@ObjectType('EventStoreHealth')
export class EventStoreHealthModel {
  @Field(() => Int, {
    nullable: true,
    description: 'Number of events in the log: the next global position.',
  })
  head: number | null;
}

@ObjectType('ProjectionStall', {
  description: 'A read model stuck on an event: it retries; the log itself is unaffected.',
})
export class ProjectionStallModel {
  @Field()
  projection: string;

  @Field(() => Int, { description: 'The position it is stuck at (its checkpoint).' })
  checkpoint: number;

  @Field()
  error: string;

  @Field()
  since: Date;

  @Field(() => Int)
  attempts: number;
}

@ObjectType('ParkedEvents', {
  description:
    'Events an operator parked because a read model could not apply them: it skips them, so ' +
    'it does not reflect the whole log. The log itself is unaffected.',
})
export class ParkedEventsModel {
  @Field()
  projection: string;

  @Field(() => Int)
  count: number;

  @Field(() => [Int], { description: 'Their global positions, lowest first.' })
  positions: number[];
}

@ObjectType('ProjectionsHealth')
export class ProjectionsHealthModel {
  @Field(() => [ProjectionStallModel], {
    nullable: true,
    description:
      'Projections stuck on an event; empty when none is. Null when unknown (see `error`).',
  })
  stalled: ProjectionStallModel[] | null;

  @Field(() => [ParkedEventsModel], {
    nullable: true,
    description:
      'Projections that skip parked events; empty when none does. Null when unknown (see ' +
      '`error`).',
  })
  parked: ParkedEventsModel[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why `stalled` and `parked` are unknown, when they are; else null.',
  })
  error: string | null;
}

@ObjectType('Health')
export class HealthModel {
  @Field({ description: '"ok" when the database answers; "degraded" otherwise.' })
  status: string;

  @Field(() => DatabaseHealthModel)
  database: DatabaseHealthModel;

  @Field(() => EventStoreHealthModel)
  eventStore: EventStoreHealthModel;

  @Field(() => ProjectionsHealthModel)
  projections: ProjectionsHealthModel;

  @Field()
  checkedAt: Date;
}
