import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsEnum,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { StatisticsGroupingEnum } from '../models/statistics.model.js';

@InputType('StatisticsFilter', {
  description: 'Which commitments to count; every given member must match.',
})
export class StatisticsFilterInput {
  @Field({ nullable: true, description: "The action plan's id, as commitments name it." })
  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  actionPlanId?: string;

  @Field({ nullable: true, description: "The lead agency's id (secretaria-de-planeacion)." })
  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  agencyId?: string;
}

@ArgsType()
export class StatisticsArgs {
  @Field(() => StatisticsFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => StatisticsFilterInput)
  filter?: StatisticsFilterInput;

  @Field(() => StatisticsGroupingEnum)
  @IsEnum(StatisticsGroupingEnum)
  groupBy: StatisticsGroupingEnum;

  @Field({
    nullable: true,
    description: "The day 'overdue' is measured against, YYYY-MM-DD; default: today in Bogotá.",
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date, YYYY-MM-DD' })
  asOf?: string;
}
