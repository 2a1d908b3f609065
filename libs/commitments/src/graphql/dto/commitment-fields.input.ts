import { Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, ValidateNested } from 'class-validator';
import { OgpValueEnum } from '../models/enums.js';
import { CommandInput } from '#platform';

// Shapes and types only; every rule (lengths, dates, formats) is the domain's, which names
// the field it refuses.

@InputType()
export class LeadAgencyInput {
  @Field(() => String, {
    nullable: true,
    description:
      "The agency's stable id, which stewards' tokens name: 1 to 64 lower-case letters and " +
      'digits in groups joined by hyphens. Left out at registration, it is derived from the ' +
      'name (lower case, accents removed, other characters to hyphens: "Secretaría de ' +
      'Planeación" gives secretaria-de-planeacion). It never changes: a revision or ' +
      'correction may leave it out or repeat it, and one that gives another id is refused.',
  })
  @IsOptional()
  @IsString()
  id?: string;

  @Field({ description: 'The lead implementing agency, as people name it.' })
  @IsString()
  name: string;

  @Field(() => [String], { nullable: true, description: 'The offices that implement it.' })
  @IsOptional()
  @IsString({ each: true })
  offices?: string[];
}

@InputType()
export class OgpValueInput {
  @Field(() => OgpValueEnum)
  @IsEnum(OgpValueEnum)
  value: OgpValueEnum;

  @Field({ nullable: true, description: 'How the commitment is relevant to this value.' })
  @IsOptional()
  @IsString()
  relevance?: string;
}

@InputType()
export class TerritoriesInput {
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsString({ each: true })
  localidades?: string[];

  @Field(() => [String], { nullable: true, description: 'Comunas, or unidades comuneras (UCG).' })
  @IsOptional()
  @IsString({ each: true })
  comunas?: string[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsString({ each: true })
  corregimientos?: string[];
}

/** The OGP template fields a revision may change; every one optional. */
@InputType()
export class CommitmentChangesInput {
  @Field({ nullable: true }) @IsOptional() @IsString() code?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() title?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() actionPlanId?: string;
  @Field({ nullable: true, description: 'YYYY-MM-DD' })
  @IsOptional()
  @IsString()
  startDate?: string;
  @Field({ nullable: true, description: 'YYYY-MM-DD' }) @IsOptional() @IsString() endDate?: string;

  @Field(() => LeadAgencyInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => LeadAgencyInput)
  leadAgency?: LeadAgencyInput;

  @Field(() => [String], { nullable: true, description: 'Non-governmental stakeholders.' })
  @IsOptional()
  @IsString({ each: true })
  stakeholders?: string[];

  @Field({ nullable: true }) @IsOptional() @IsString() problem?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() statusQuo?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() action?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() contribution?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() longTermGoal?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsString({ each: true })
  policyAreas?: string[];

  @Field(() => [OgpValueInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => OgpValueInput)
  ogpValues?: OgpValueInput[];

  @Field({ nullable: true }) @IsOptional() @IsString() resources?: string;

  @Field(() => TerritoriesInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => TerritoriesInput)
  territories?: TerritoriesInput;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsString({ each: true })
  inclusionGroups?: string[];
}

@InputType()
export class RegisterCommitmentInput extends CommandInput {
  @Field({
    description: 'Chosen by the caller: a UUID or a slug (1 to 64 letters, digits, - or _).',
  })
  @IsString()
  commitmentId: string;

  @Field({ description: 'Short unique handle, e.g. CartagenaCuenta-2023.' })
  @IsString()
  code: string;

  @Field() @IsString() title: string;
  @Field() @IsString() actionPlanId: string;
  @Field({ description: 'YYYY-MM-DD' }) @IsString() startDate: string;
  @Field({ description: 'YYYY-MM-DD' }) @IsString() endDate: string;

  @Field(() => LeadAgencyInput)
  @ValidateNested()
  @Type(() => LeadAgencyInput)
  leadAgency: LeadAgencyInput;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsString({ each: true })
  stakeholders?: string[];

  @Field({ nullable: true }) @IsOptional() @IsString() problem?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() statusQuo?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() action?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() contribution?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() longTermGoal?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsString({ each: true })
  policyAreas?: string[];

  @Field(() => [OgpValueInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => OgpValueInput)
  ogpValues?: OgpValueInput[];

  @Field({ nullable: true }) @IsOptional() @IsString() resources?: string;

  @Field(() => TerritoriesInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => TerritoriesInput)
  territories?: TerritoriesInput;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsString({ each: true })
  inclusionGroups?: string[];
}

@InputType()
export class ReviseCommitmentInput extends CommandInput {
  @Field() @IsString() commitmentId: string;

  @Field(() => CommitmentChangesInput, { description: 'Only the fields to change.' })
  @ValidateNested()
  @Type(() => CommitmentChangesInput)
  changes: CommitmentChangesInput;

  @Field({ description: 'Why: every revision says why.' }) @IsString() reason: string;
}

@InputType()
export class PublishCommitmentInput extends CommandInput {
  @Field() @IsString() commitmentId: string;
}

@InputType()
export class CompleteCommitmentInput extends CommandInput {
  @Field() @IsString() commitmentId: string;
  @Field({ nullable: true }) @IsOptional() @IsString() note?: string;
}

@InputType()
export class WithdrawCommitmentInput extends CommandInput {
  @Field() @IsString() commitmentId: string;
  @Field() @IsString() reason: string;
}
