import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { isCalendarDate } from '#kernel';
import { Allow, InvalidInputError } from '#platform';
import { tabulate } from '../domain/statistics.js';
import { StatisticsQueries } from '../read-models/statistics.queries.js';
import { StatisticsArgs } from './dto/statistics.args.js';
import { StatisticsModel } from './models/statistics.model.js';
import { statisticsFrom } from './statistics.mapper.js';

/** Bogotá's calendar day at `now` (Colombia keeps UTC-5 all year). */
export function bogotaDay(now: Date): string {
  return new Date(now.getTime() - 5 * 3_600_000).toISOString().slice(0, 10);
}

/** Statistics are public: anyone may read them, and no cell identifies anyone. */
@Allow('anonymous')
@Resolver(() => StatisticsModel)
export class StatisticsResolver {
  constructor(@Inject(StatisticsQueries) private readonly queries: StatisticsQueries) {}

  @Query(() => StatisticsModel, {
    description:
      'Commitments, milestones, evaluations, dialogue spaces and attendance, grouped one way. ' +
      'Figures about fewer people than minimumPeople are suppressed, never shown.',
  })
  async statistics(@Args() args: StatisticsArgs): Promise<StatisticsModel> {
    if (args.asOf !== undefined && !isCalendarDate(args.asOf)) {
      throw new InvalidInputError('asOf', 'is not a day that exists');
    }
    const asOf = args.asOf ?? bogotaDay(new Date());
    const { groups, total } = await this.queries.table(args.groupBy, args.filter ?? {}, asOf);
    return statisticsFrom(tabulate(groups, total), args.groupBy, asOf);
  }
}
