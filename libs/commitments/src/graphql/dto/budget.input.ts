import { Field, Float, InputType } from '@nestjs/graphql';
import { IsEnum, IsNumber, IsOptional, IsString } from 'class-validator';
import { BudgetPhaseEnum } from '../models/enums.js';
import { CommandInput } from '#platform';

@InputType()
export class RecordBudgetInput extends CommandInput {
  @Field() @IsString() commitmentId: string;
  @Field({ description: "The budget line's id (e.g. its rubro presupuestal)." })
  @IsString()
  lineId: string;
  @Field(() => BudgetPhaseEnum) @IsEnum(BudgetPhaseEnum) phase: BudgetPhaseEnum;
  @Field(() => Float, {
    description: 'Whole Colombian pesos (COP); the amount of this phase as of now.',
  })
  @IsNumber()
  amountCop: number;
  @Field() @IsString() fundingSource: string;
  @Field({
    nullable: true,
    description: 'The milestone the line funds, if not the whole commitment.',
  })
  @IsOptional()
  @IsString()
  milestoneId?: string;
  @Field({ nullable: true, description: 'Required when the record changes an approved amount.' })
  @IsOptional()
  @IsString()
  reason?: string;
}
