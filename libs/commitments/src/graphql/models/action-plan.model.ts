import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { PageInfoModel } from '#platform';
import { ActionPlanStatusEnum, RollupExclusionReasonEnum } from './enums.js';

@ObjectType('RollupInput', { description: 'One counted input of a roll-up.' })
export class RollupInputModel {
  @Field(() => ID, { description: 'The milestone id, or the commitment id.' }) id: string;
  @Field(() => Int, { description: 'Its weight: 1 unless set (a whole number, 1 to 1000).' })
  weight: number;
  @Field(() => Float, { description: 'Its progress, in percent (at most two decimals).' })
  progress: number;
}

@ObjectType('RollupExclusion', { description: 'An input left out of a roll-up, and why.' })
export class RollupExclusionModel {
  @Field(() => ID) id: string;
  @Field(() => RollupExclusionReasonEnum) reason: RollupExclusionReasonEnum;
}

@ObjectType('Rollup', {
  description:
    'A progress roll-up with what it is computed from: value = sum(weight × progress) / ' +
    'sum(weight) over inputs, rounded to two decimals, halves up (docs/open-data/action-plans.md).',
})
export class RollupModel {
  @Field(() => Float, {
    nullable: true,
    description: 'Percent, two decimals; null when no input counts.',
  })
  value: number | null;
  @Field({ description: 'The formula, in words.' }) formula: string;
  @Field(() => [RollupInputModel], { description: 'The counted inputs.' })
  inputs: RollupInputModel[];
  @Field(() => [RollupExclusionModel], { description: 'The inputs left out, and why.' })
  excluded: RollupExclusionModel[];
}

@ObjectType('CommitmentWeight')
export class CommitmentWeightModel {
  @Field() commitmentId: string;
  @Field(() => Int) weight: number;
}

@ObjectType('ActionPlan', {
  description:
    'An action plan: its commitments name it by actionPlanId. One that was never registered ' +
    'still shows, derived from that id (status NOT_REGISTERED, title = id).',
})
export class ActionPlanModel {
  @Field(() => ID) id: string;
  @Field({ description: 'Whether the plan itself was registered (else it is derived).' })
  registered: boolean;
  @Field({ description: "The plan's title; its id while not registered." }) title: string;
  @Field(() => ActionPlanStatusEnum) status: ActionPlanStatusEnum;
  @Field(() => String, { nullable: true, description: 'e.g. Distrito de Cartagena de Indias.' })
  jurisdiction: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) periodStart: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) periodEnd: string | null;
  @Field(() => String, { nullable: true, description: 'e.g. OGP Local 2022-2023.' })
  ogpCycle: string | null;
  @Field(() => Date, { nullable: true }) registeredAt: Date | null;
  @Field(() => [CommitmentWeightModel], {
    description: 'The weights an administrator set for its commitments (others weigh 1).',
  })
  commitmentWeights: CommitmentWeightModel[];
  @Field(() => Int, { description: "The plan stream's version shown; 0 when not registered." })
  version: number;
}

@ObjectType('ActionPlanEdge')
export class ActionPlanEdgeModel {
  @Field() cursor: string;
  @Field(() => ActionPlanModel) node: ActionPlanModel;
}

@ObjectType('ActionPlanConnection')
export class ActionPlanConnectionModel {
  @Field(() => [ActionPlanEdgeModel]) edges: ActionPlanEdgeModel[];
  @Field(() => PageInfoModel) pageInfo: PageInfoModel;
  /** Counted only when asked for. */
  count: () => Promise<number>;
}
