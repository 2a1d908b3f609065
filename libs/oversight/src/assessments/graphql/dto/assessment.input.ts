import { Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, IsString, ValidateNested } from 'class-validator';
import { EvidenceInput, OgpValueEnum } from '#commitments';
import { CommandInput } from '#platform';
import {
  AssessmentCompletionEnum,
  AssessmentReportKindEnum,
  OpenGovernmentResultEnum,
  PotentialForResultsEnum,
  VerifiabilityEnum,
} from '../models/assessment.enums.js';

@InputType('AssessedReportInput')
export class AssessedReportInput {
  @Field(() => AssessmentReportKindEnum)
  @IsEnum(AssessmentReportKindEnum)
  kind: AssessmentReportKindEnum;
  @Field({
    description:
      'The id the assessor gives the report (1 to 64 letters, digits, - or _), e.g. ' +
      'irm-cartagena-2023-2025-results.',
  })
  @IsString()
  id: string;
}

@InputType('AssessmentSchemeInput')
export class AssessmentSchemeInput {
  @Field({ description: 'The assessment method, e.g. OGP IRM.' }) @IsString() name: string;
  @Field({ description: 'Its version, e.g. 2021 (the refreshed IRM).' })
  @IsString()
  version: string;
}

@InputType('OpenGovernmentLensInput')
export class OpenGovernmentLensInput {
  @Field({ description: 'Whether the commitment is relevant to the open-government lens.' })
  @IsBoolean()
  relevant: boolean;
  @Field(() => [OgpValueEnum], {
    nullable: true,
    description: 'At least one when relevant; none when not.',
  })
  @IsOptional()
  @IsEnum(OgpValueEnum, { each: true })
  values?: OgpValueEnum[];
}

@InputType({
  description:
    'An independent assessment of a commitment for one report. A later one for the same ' +
    '(commitment, report kind, report id) supersedes the current one and requires a reason.',
})
export class RecordIndependentAssessmentInput extends CommandInput {
  @Field() @IsString() commitmentId: string;
  @Field(() => AssessedReportInput)
  @ValidateNested()
  @Type(() => AssessedReportInput)
  report: AssessedReportInput;
  @Field(() => AssessmentSchemeInput)
  @ValidateNested()
  @Type(() => AssessmentSchemeInput)
  scheme: AssessmentSchemeInput;
  @Field(() => VerifiabilityEnum) @IsEnum(VerifiabilityEnum) verifiability: VerifiabilityEnum;
  @Field(() => OpenGovernmentLensInput)
  @ValidateNested()
  @Type(() => OpenGovernmentLensInput)
  openGovernmentLens: OpenGovernmentLensInput;
  @Field(() => PotentialForResultsEnum)
  @IsEnum(PotentialForResultsEnum)
  potentialForResults: PotentialForResultsEnum;
  @Field(() => AssessmentCompletionEnum)
  @IsEnum(AssessmentCompletionEnum)
  completion: AssessmentCompletionEnum;
  @Field(() => OpenGovernmentResultEnum, { description: 'Did it open government?' })
  @IsEnum(OpenGovernmentResultEnum)
  didItOpenGovernment: OpenGovernmentResultEnum;
  @Field({ description: 'Why the assessor rated it so.' }) @IsString() justification: string;
  @Field(() => [EvidenceInput], {
    description: 'At least one: the report itself, at the least. Only its hash goes in the log.',
  })
  @ValidateNested({ each: true })
  @Type(() => EvidenceInput)
  evidence: EvidenceInput[];
  @Field({
    nullable: true,
    description:
      'Why this assessment supersedes the current one of the same report: required then, ' +
      'refused for the first assessment of a report.',
  })
  @IsOptional()
  @IsString()
  reason?: string;
}
