import { ArgsType, Field } from '@nestjs/graphql';
import { IsString } from 'class-validator';
import { LiveArgs } from '#platform';

@ArgsType()
export class CommitmentChangedArgs extends LiveArgs {
  @Field({ description: 'The commitment id.' })
  @IsString()
  id: string;
}
