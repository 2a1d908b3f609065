import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import type { RecordedEvent } from '#event-store';
import {
  CommitmentStatusEnum,
  EvidenceKindEnum,
  MilestoneStatusEnum,
  OgpValueEnum,
} from './enums.js';

@ObjectType('LeadAgency')
export class LeadAgencyModel {
  @Field({
    description:
      "The agency's stable id, fixed at registration: what stewards' tokens name (e.g. " +
      'secretaria-de-planeacion).',
  })
  id: string;
  @Field({ description: "The agency's name; a revision may change it, never the id." })
  name: string;
  @Field(() => [String]) offices: string[];
}

@ObjectType('OgpValueEntry')
export class OgpValueEntryModel {
  @Field(() => OgpValueEnum) value: OgpValueEnum;
  @Field(() => String, { nullable: true }) relevance: string | null;
}

@ObjectType('Territories', { description: 'Where a commitment applies; empty lists: not stated.' })
export class TerritoriesModel {
  @Field(() => [String]) localidades: string[];
  @Field(() => [String], { description: 'Comunas, or unidades comuneras de gobierno (UCG).' })
  comunas: string[];
  @Field(() => [String]) corregimientos: string[];
}

@ObjectType('Evidence', {
  description: 'A link or document reported with progress; the log holds only its SHA-256.',
})
export class EvidenceModel {
  @Field() milestoneId: string;
  @Field(() => EvidenceKindEnum) kind: EvidenceKindEnum;
  @Field(() => String, { nullable: true }) url: string | null;
  @Field(() => String, { nullable: true }) fileName: string | null;
  @Field({ description: 'SHA-256 of the bytes, lower-case hex.' }) sha256: string;
  @Field() mediaType: string;
  @Field() description: string;
  @Field(() => Date) reportedAt: Date;
}

@ObjectType('Milestone')
export class MilestoneModel {
  @Field(() => ID) id: string;
  @Field() commitmentId: string;
  @Field() title: string;
  @Field() responsibleOffice: string;
  @Field({ description: 'A month (YYYY-MM) or a day (YYYY-MM-DD).' }) plannedStart: string;
  @Field({ description: 'A month (YYYY-MM) or a day (YYYY-MM-DD).' }) plannedEnd: string;
  @Field(() => MilestoneStatusEnum) status: MilestoneStatusEnum;
  @Field(() => Int, { description: 'Whole percent, 0 to 100.' }) progress: number;
  @Field(() => Int, { description: 'How many times its planned dates were moved.' })
  reschedules: number;
  @Field(() => Int, {
    description:
      "Its weight in the commitment's progress roll-up: 1 unless a steward set it " +
      '(setMilestoneWeights).',
  })
  weight: number;
  @Field(() => Date, { nullable: true }) lastReportedAt: Date | null;
  @Field(() => Date, { nullable: true }) completedAt: Date | null;
  @Field(() => Date, { nullable: true }) cancelledAt: Date | null;
  @Field(() => String, { nullable: true }) cancellationReason: string | null;
  /** Set when the milestone comes from a folded state (time travel): no loading needed. */
  evidenceList?: EvidenceModel[];
  /** Set when it comes from the read model: the commitment version its row belongs to. */
  commitmentVersion?: number;
}

@ObjectType('BudgetLine', { description: 'Amounts in whole Colombian pesos (COP), per phase.' })
export class BudgetLineModel {
  @Field(() => ID) id: string;
  @Field() fundingSource: string;
  @Field(() => String, { nullable: true }) milestoneId: string | null;
  @Field(() => Float, { nullable: true }) proposed: number | null;
  @Field(() => Float, { nullable: true }) approved: number | null;
  @Field(() => Float, { nullable: true }) adjusted: number | null;
  @Field(() => Float, { nullable: true }) executed: number | null;
}

@ObjectType('Commitment', { description: 'A commitment, with every field of the OGP template.' })
export class CommitmentModel {
  @Field(() => ID) id: string;
  @Field() code: string;
  @Field() title: string;
  @Field() actionPlanId: string;
  @Field(() => CommitmentStatusEnum) status: CommitmentStatusEnum;
  @Field({ description: 'YYYY-MM-DD' }) startDate: string;
  @Field({ description: 'YYYY-MM-DD' }) endDate: string;
  @Field(() => LeadAgencyModel) leadAgency: LeadAgencyModel;
  @Field(() => [String], { description: 'Non-governmental stakeholders.' }) stakeholders: string[];
  @Field(() => String, { nullable: true }) problem: string | null;
  @Field(() => String, { nullable: true }) statusQuo: string | null;
  @Field(() => String, { nullable: true }) action: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'How it contributes to solving the problem.',
  })
  contribution: string | null;
  @Field(() => String, { nullable: true }) longTermGoal: string | null;
  @Field(() => [String]) policyAreas: string[];
  @Field(() => [OgpValueEntryModel]) ogpValues: OgpValueEntryModel[];
  @Field(() => String, { nullable: true }) resources: string | null;
  @Field(() => TerritoriesModel) territories: TerritoriesModel;
  @Field(() => [String]) inclusionGroups: string[];
  @Field(() => Date) registeredAt: Date;
  @Field(() => Date, { nullable: true }) publishedAt: Date | null;
  @Field(() => Date, { nullable: true }) startedAt: Date | null;
  @Field(() => Date, { nullable: true }) completedAt: Date | null;
  @Field(() => Date, { nullable: true }) withdrawnAt: Date | null;
  @Field(() => String, { nullable: true }) withdrawalReason: string | null;
  @Field(() => Int, { description: 'How many corrections its history holds.' })
  corrections: number;
  @Field(() => Int, { description: 'The stream version shown: how many events it folds.' })
  version: number;
  /** Set when the commitment comes from a folded state (time travel): no loading needed. */
  folded?: { milestones: MilestoneModel[]; budget: BudgetLineModel[] };
  /** What `view` reports; see CommitmentsResolver.view. */
  shown: {
    source: 'read_model' | 'log';
    version: number;
    latestVersion: number | null;
    asOf: Date | null;
    knownAt: Date | null;
    atVersion: number | null;
    recordedLater: number;
    /** The events folded, when the commitment was folded from its stream. */
    events?: RecordedEvent[];
  };
}
