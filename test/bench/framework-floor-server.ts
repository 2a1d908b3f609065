import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Args,
  Field,
  GraphQLModule,
  Int,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import pg from 'pg';
import {
  COMMITMENT_SQL,
  HISTORY_SQL,
  historyNode,
  MILESTONES_SQL,
  type HistoryRow,
} from './commitment-statements.js';

// A second reference point for the commitment-query benchmark: the framework the API is built
// on (Nest on Express, @nestjs/graphql code first, Apollo Server), with nothing of Cuenta's
// own: no request gate, no validation pipe, no logging, metrics, read cache or replica choice,
// no TypeORM and no history folding. It serves the same fields as the API's query from the
// same three statements as the bare endpoint (`bare-server.ts`), each field resolved from the
// rows as they come. What it costs over the bare endpoint is the framework's; what the API
// costs over it is Cuenta's.

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

@ObjectType()
class Actor {
  @Field() subject!: string;
  @Field() role!: string;
  @Field(() => String, { nullable: true }) agency!: string | null;
}

@ObjectType()
class HistoryEntry {
  @Field() type!: string;
  @Field(() => Int) position!: number;
  @Field() occurredAt!: string;
  @Field() recordedAt!: string;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => Actor) actor!: Actor;
}

@ObjectType()
class HistoryEdge {
  @Field(() => HistoryEntry) node!: HistoryEntry;
}

@ObjectType()
class History {
  @Field(() => [HistoryEdge]) edges!: HistoryEdge[];
}

@ObjectType()
class Milestone {
  @Field() id!: string;
  @Field() title!: string;
  @Field() status!: string;
  @Field(() => Int) progress!: number;
  @Field(() => String, { nullable: true }) plannedStart!: string | null;
  @Field(() => String, { nullable: true }) plannedEnd!: string | null;
}

@ObjectType()
class Commitment {
  @Field() id!: string;
  @Field() code!: string;
  @Field() title!: string;
  @Field() status!: string;
  @Field(() => Int) version!: number;
}

@Resolver(() => Commitment)
class CommitmentResolver {
  @Query(() => Commitment, { nullable: true })
  async commitment(@Args('code') code: string): Promise<Commitment | undefined> {
    const { rows } = await pool.query<Commitment>(COMMITMENT_SQL, [code]);
    return rows[0];
  }

  @ResolveField(() => [Milestone])
  async milestones(@Parent() commitment: Commitment): Promise<Milestone[]> {
    const { rows } = await pool.query<Milestone>(MILESTONES_SQL, [commitment.id]);
    return rows;
  }

  @ResolveField(() => History)
  async history(
    @Parent() commitment: Commitment,
    @Args('first', { type: () => Int }) first: number,
  ): Promise<History> {
    const { rows } = await pool.query<HistoryRow>(HISTORY_SQL, [
      `commitment-${commitment.id}`,
      first,
    ]);
    return { edges: rows.map((row) => ({ node: historyNode(row) })) };
  }
}

/** For the bench to know the server is up, as the API's /health. */
@Controller()
class HealthController {
  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }
}

@Module({
  controllers: [HealthController],
  imports: [
    GraphQLModule.forRoot<ApolloDriverConfig>({
      driver: ApolloDriver,
      autoSchemaFile: true,
      graphiql: false,
    }),
  ],
  providers: [CommitmentResolver],
})
class FloorModule {}

const app = await NestFactory.create(FloorModule, { logger: ['error'] });
await app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  void app.close().then(() => pool.end());
});
