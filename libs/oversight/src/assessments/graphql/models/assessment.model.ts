import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { EvidenceKindEnum, OgpValueEnum } from '#commitments';
import {
  AssessmentCompletionEnum,
  AssessmentReportKindEnum,
  AssessmentStatusEnum,
  OpenGovernmentResultEnum,
  PotentialForResultsEnum,
  VerifiabilityEnum,
} from './assessment.enums.js';

@ObjectType('AssessedReport')
export class AssessedReportModel {
  @Field(() => AssessmentReportKindEnum) kind: AssessmentReportKindEnum;
  @Field() id: string;
}

@ObjectType('AssessmentScheme')
export class AssessmentSchemeModel {
  @Field() name: string;
  @Field() version: string;
}

@ObjectType('OpenGovernmentLens')
export class OpenGovernmentLensModel {
  @Field() relevant: boolean;
  @Field(() => [OgpValueEnum]) values: OgpValueEnum[];
}

@ObjectType('AssessmentEvidence', {
  description: 'A link or a document the assessment rests on, identified by its SHA-256.',
})
export class AssessmentEvidenceModel {
  @Field(() => EvidenceKindEnum) kind: EvidenceKindEnum;
  @Field(() => String, { nullable: true, description: 'For a link.' }) url: string | null;
  @Field(() => String, { nullable: true, description: 'For a document.' })
  fileName: string | null;
  @Field({ description: 'SHA-256 of the bytes, lower-case hex.' }) sha256: string;
  @Field() mediaType: string;
  @Field() description: string;
}

@ObjectType('IndependentAssessment', {
  description:
    "An oversight body's independent assessment of a commitment for one report (OGP's IRM " +
    'scheme). Every one stays on record: a later assessment of the same report supersedes ' +
    'the earlier one, with a reason.',
})
export class IndependentAssessmentModel {
  @Field(() => ID, {
    description: '<commitment id>.<report kind>.<report id>.<n>: the n-th of its report.',
  })
  id: string;
  @Field() commitmentId: string;
  @Field(() => AssessedReportModel) report: AssessedReportModel;
  @Field(() => AssessmentStatusEnum) status: AssessmentStatusEnum;
  @Field(() => String, { nullable: true, description: 'The assessment this one replaced.' })
  supersedes: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'The assessment that replaced this one; null while current.',
  })
  supersededBy: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Why this one replaced the earlier one (present exactly when supersedes is).',
  })
  reason: string | null;
  @Field(() => AssessmentSchemeModel) scheme: AssessmentSchemeModel;
  @Field(() => VerifiabilityEnum) verifiability: VerifiabilityEnum;
  @Field(() => OpenGovernmentLensModel) openGovernmentLens: OpenGovernmentLensModel;
  @Field(() => PotentialForResultsEnum) potentialForResults: PotentialForResultsEnum;
  @Field(() => AssessmentCompletionEnum) completion: AssessmentCompletionEnum;
  @Field(() => OpenGovernmentResultEnum, { description: 'Did it open government?' })
  didItOpenGovernment: OpenGovernmentResultEnum;
  @Field() justification: string;
  @Field(() => [AssessmentEvidenceModel]) evidence: AssessmentEvidenceModel[];
  @Field(() => Date, { description: 'When it was assessed (business time).' })
  assessedAt: Date;
  @Field(() => Date, { description: 'When the log recorded it.' }) recordedAt: Date;
  @Field(() => Int, {
    description: 'Global position of its event in the log: ask inclusionProof for its proof.',
  })
  position: number;
  @Field({ description: 'The id of its event in the log.' }) eventId: string;
}
