import { Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsDate, IsEnum, IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { CommandInput } from '#platform';
import {
  DialogueChannelEnum,
  DialogueSpaceKindEnum,
  DialogueSpaceStatusEnum,
  ImprovementActionReportStatusEnum,
} from '../models/dialogue.enums.js';

@InputType({
  description:
    'Records a dialogue space, or changes one recorded before: its details (with a reason), ' +
    'held, or cancelled (with a reason).',
})
export class RecordDialogueSpaceInput extends CommandInput {
  @Field({ description: 'Chosen by the caller: 1 to 64 letters, digits, - or _.' })
  @IsString()
  dialogueSpaceId: string;
  @Field(() => DialogueSpaceStatusEnum, { nullable: true, description: 'Default CONVENED.' })
  @IsOptional()
  @IsEnum(DialogueSpaceStatusEnum)
  status?: DialogueSpaceStatusEnum;
  @Field(() => DialogueSpaceKindEnum) @IsEnum(DialogueSpaceKindEnum) kind: DialogueSpaceKindEnum;
  @Field() @IsString() title: string;
  @Field(() => Date, { description: 'When the notice was given.' }) @IsDate() convenedAt: Date;
  @Field(() => Date) @IsDate() startsAt: Date;
  @Field() @IsString() place: string;
  @Field(() => DialogueChannelEnum) @IsEnum(DialogueChannelEnum) channel: DialogueChannelEnum;
  @Field({ nullable: true, description: 'A territory of the jurisdiction; none: district-wide.' })
  @IsOptional()
  @IsString()
  territoryId?: string;
  @Field(() => [String], { description: 'At least one topic.' })
  @IsString({ each: true })
  agenda: string[];
  @Field(() => [String], { description: 'The commitments it concerns, of one lead agency.' })
  @IsString({ each: true })
  commitmentIds: string[];
  @Field({ nullable: true, description: 'Required to change a recorded space or cancel it.' })
  @IsOptional()
  @IsString()
  reason?: string;
}

@InputType()
export class AttendanceGroupCountInput {
  @Field({ description: 'sex, age_band, ethnic_group, disability, victims, or another.' })
  @IsString()
  dimension: string;
  @Field() @IsString() category: string;
  @Field(() => Int) @IsInt() count: number;
}

@InputType()
export class AttendanceTerritoryCountInput {
  @Field() @IsString() territoryId: string;
  @Field(() => Int) @IsInt() count: number;
}

@InputType({ description: 'The minutes, identified by the SHA-256 of their bytes.' })
export class DialogueMinutesInput {
  @Field({ description: '64 lower-case hexadecimal digits.' }) @IsString() sha256: string;
  @Field({ description: 'e.g. application/pdf' }) @IsString() mediaType: string;
  @Field() @IsString() url: string;
}

@InputType({
  description:
    'The attendance of a held space, as counts only. Recording it again corrects it, with a reason.',
})
export class RecordAttendanceInput extends CommandInput {
  @Field() @IsString() dialogueSpaceId: string;
  @Field(() => Int) @IsInt() total: number;
  @Field(() => [AttendanceGroupCountInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => AttendanceGroupCountInput)
  byGroup?: AttendanceGroupCountInput[];
  @Field(() => [AttendanceTerritoryCountInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => AttendanceTerritoryCountInput)
  byTerritory?: AttendanceTerritoryCountInput[];
  @Field(() => DialogueMinutesInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => DialogueMinutesInput)
  minutes?: DialogueMinutesInput;
  @Field({ nullable: true, description: 'Required for a correction.' })
  @IsOptional()
  @IsString()
  reason?: string;
}

@InputType()
export class AgreeImprovementActionInput extends CommandInput {
  @Field() @IsString() dialogueSpaceId: string;
  @Field({ description: 'Chosen by the caller; unique within the space.' })
  @IsString()
  actionId: string;
  @Field({ description: 'One of the commitments the space concerns.' })
  @IsString()
  commitmentId: string;
  @Field() @IsString() description: string;
  @Field() @IsString() responsibleAgency: string;
  @Field({ description: 'YYYY-MM-DD.' }) @IsString() dueDate: string;
}

@InputType()
export class ImprovementActionEvidenceInput {
  @Field({ description: '64 lower-case hexadecimal digits.' }) @IsString() sha256: string;
  @Field() @IsString() mediaType: string;
  @Field() @IsString() url: string;
  @Field() @IsString() description: string;
}

@InputType()
export class ReportImprovementActionInput extends CommandInput {
  @Field() @IsString() dialogueSpaceId: string;
  @Field() @IsString() actionId: string;
  @Field(() => ImprovementActionReportStatusEnum)
  @IsEnum(ImprovementActionReportStatusEnum)
  status: ImprovementActionReportStatusEnum;
  @Field(() => Int, { nullable: true, description: 'Whole percent; 100 when COMPLETED.' })
  @IsOptional()
  @IsInt()
  percent?: number;
  @Field({ nullable: true }) @IsOptional() @IsString() note?: string;
  @Field(() => [ImprovementActionEvidenceInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => ImprovementActionEvidenceInput)
  evidence?: ImprovementActionEvidenceInput[];
  @Field({ nullable: true, description: 'Required to cancel.' })
  @IsOptional()
  @IsString()
  reason?: string;
}
