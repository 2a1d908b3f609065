import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JSONScalar, PageInfoModel } from '#platform';

// GraphQL enums in upper case; their values are the domain's words.

export enum RedFlagStateEnum {
  OPEN = 'open',
  CLOSED = 'closed',
}
registerEnumType(RedFlagStateEnum, {
  name: 'RedFlagState',
  description:
    'Open while its condition holds; closed once it ended (a justification does not close it).',
});

export enum RedFlagSubjectKindEnum {
  COMMITMENT = 'commitment',
  MILESTONE = 'milestone',
  BUDGET_LINE = 'budget_line',
  EVALUATION = 'evaluation',
  DIALOGUE_SPACE = 'dialogue_space',
  IMPROVEMENT_ACTION = 'improvement_action',
}
registerEnumType(RedFlagSubjectKindEnum, { name: 'RedFlagSubjectKind' });

@ObjectType('RedFlagThreshold')
export class RedFlagThresholdModel {
  @Field({ description: 'Its name, as `cuenta flags --thresholds` takes it.' }) name: string;
  @Field(() => Int) value: number;
}

@ObjectType('RedFlagRule', { description: 'A red-flag rule, coded and versioned.' })
export class RedFlagRuleModel {
  @Field({ description: 'CF-01 ... CF-16.' }) code: string;
  @Field(() => Int) version: number;
  @Field() title: string;
  @Field() titleEs: string;
  @Field({ description: 'Why it matters.' }) why: string;
  @Field() whyEs: string;
  @Field(() => [RedFlagThresholdModel], { description: 'The thresholds in force it reads.' })
  thresholds: RedFlagThresholdModel[];
  @Field({ description: 'Whether it depends on the time it is judged at (asOf).' })
  timeDependent: boolean;
}

@ObjectType('RedFlagRules')
export class RedFlagRulesModel {
  @Field(() => [RedFlagRuleModel]) rules: RedFlagRuleModel[];
  @Field(() => JSONScalar, {
    description:
      'Every threshold in force, as one JSON object: the file `cuenta flags --thresholds` ' +
      'takes to recompute the same flags offline.',
  })
  thresholds: Record<string, number>;
}

@ObjectType('RedFlagSubject')
export class RedFlagSubjectModel {
  @Field(() => RedFlagSubjectKindEnum) kind: RedFlagSubjectKindEnum;
  @Field({ description: "Its id (a milestone's or budget line's within its commitment)." })
  id: string;
  @Field(() => [String], { description: 'The commitments it concerns.' })
  commitmentIds: string[];
}

@ObjectType('RedFlagJustification', {
  description: "An official's reason recorded beside a flag; it does not close the flag.",
})
export class RedFlagJustificationModel {
  @Field(() => Int, { description: 'The log position of its event (its proof is one query away).' })
  position: number;
  @Field({ description: 'ISO-8601 instant.' }) justifiedAt: string;
  @Field() reason: string;
}

@ObjectType('RedFlag', {
  description:
    'A warning sign computed from the log by a published rule; anyone can recompute it from ' +
    'an export with `cuenta flags`.',
})
export class RedFlagModel {
  @Field({ description: 'Stable: rule, subject and which raising of it (#1, #2...).' }) id: string;
  @Field({ description: 'The rule that raised it: CF-01 ... CF-16.' }) rule: string;
  @Field(() => Int) ruleVersion: number;
  @Field(() => RedFlagSubjectModel) subject: RedFlagSubjectModel;
  @Field({ description: 'ISO-8601 instant, exactly as `cuenta flags` prints it.' })
  raisedAt: string;
  @Field(() => String, { nullable: true, description: 'ISO-8601 instant; null while open.' })
  closedAt: string | null;
  @Field(() => RedFlagStateEnum) state: RedFlagStateEnum;
  @Field(() => [Int], {
    description:
      'Log positions of the events that raised (and closed) it; each has an inclusion proof.',
  })
  evidence: number[];
  @Field(() => [RedFlagJustificationModel]) justifications: RedFlagJustificationModel[];
}

@ObjectType('RedFlagEdge')
export class RedFlagEdgeModel {
  @Field() cursor: string;
  @Field(() => RedFlagModel) node: RedFlagModel;
}

@ObjectType('RedFlagConnection')
export class RedFlagConnectionModel {
  @Field(() => [RedFlagEdgeModel]) edges: RedFlagEdgeModel[];
  @Field(() => PageInfoModel) pageInfo: PageInfoModel;
  @Field(() => Int, { description: 'How many flags match the filter.' }) totalCount: number;
  @Field({ description: 'The time the flags were judged at (ISO-8601).' }) asOf: string;
}
