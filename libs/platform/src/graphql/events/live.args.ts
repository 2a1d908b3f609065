import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Min } from 'class-validator';

/** What every subscription takes; other contexts' subscriptions extend it. */
@ArgsType()
export class LiveArgs {
  @Field(() => Int, {
    nullable: true,
    description: 'Complete after this many results (default: never; 0 completes at once).',
  })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'must be 0 or more' })
  limit?: number;
}

@ArgsType()
export class EventsAppendedArgs extends LiveArgs {
  @Field(() => [String], { nullable: true, description: 'Only these streams.' })
  @IsOptional()
  @IsString({ each: true })
  streams?: string[];

  @Field(() => String, {
    nullable: true,
    description: 'Only streams whose id starts with this, e.g. commitment-.',
  })
  @IsOptional()
  @IsString()
  streamPrefix?: string;

  @Field(() => [String], { nullable: true, description: 'Only these event types.' })
  @IsOptional()
  @IsString({ each: true })
  types?: string[];

  @Field(() => Int, {
    nullable: true,
    description:
      'Global position to start from: a client that reconnects passes the position after ' +
      'the last event it saw and misses nothing. Default: only events appended from now.',
  })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'must be 0 or more' })
  from?: number;
}
