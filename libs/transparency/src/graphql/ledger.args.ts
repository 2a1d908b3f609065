import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';

const MAX_SIZE = 2 ** 31 - 1;

@ArgsType()
export class CheckpointArgs {
  @Field(() => Int)
  @IsInt()
  @Min(0, { message: 'must be 0 or more' })
  @Max(MAX_SIZE)
  size: number;
}

@ArgsType()
export class InclusionProofArgs {
  @Field(() => String, { nullable: true, description: 'The event id; or give position.' })
  @IsOptional()
  @IsUUID(undefined, { message: 'must be a UUID' })
  eventId?: string;

  @Field(() => Int, { nullable: true, description: 'The global position; or give eventId.' })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'must be 0 or more' })
  position?: number;

  @Field(() => Int, {
    nullable: true,
    description:
      'Tree size to prove against; by default the smallest checkpoint that covers the event.',
  })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'must be 1 or more' })
  @Max(MAX_SIZE)
  treeSize?: number;
}

@ArgsType()
export class ConsistencyProofArgs {
  @Field(() => Int)
  @IsInt()
  @Min(0, { message: 'must be 0 or more' })
  @Max(MAX_SIZE)
  fromSize: number;

  @Field(() => Int)
  @IsInt()
  @Min(0, { message: 'must be 0 or more' })
  @Max(MAX_SIZE)
  toSize: number;
}

@ArgsType()
export class SubmitCosignatureArgs {
  @Field(() => Int, { description: 'Size of the checkpoint the witness cosigned.' })
  @IsInt()
  @Min(0, { message: 'must be 0 or more' })
  size: number;

  @Field({ description: 'The c2sp.org/tlog-cosignature signature line ("— name base64").' })
  @Matches(/^\u2014 \S+ [A-Za-z0-9+/=]+\n?$/, {
    message: 'must be one signature line: an em dash, a space, the witness name, a space, base64',
  })
  cosignature: string;
}
