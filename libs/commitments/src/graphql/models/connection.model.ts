import { Field, ObjectType } from '@nestjs/graphql';
import { CommitmentModel } from './commitment.model.js';

@ObjectType('PageInfo', { description: 'Relay cursor pagination.' })
export class PageInfoModel {
  @Field() hasNextPage: boolean;
  @Field() hasPreviousPage: boolean;
  @Field(() => String, { nullable: true }) startCursor: string | null;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

@ObjectType('CommitmentEdge')
export class CommitmentEdgeModel {
  @Field() cursor: string;
  @Field(() => CommitmentModel) node: CommitmentModel;
}

@ObjectType('CommitmentConnection')
export class CommitmentConnectionModel {
  @Field(() => [CommitmentEdgeModel]) edges: CommitmentEdgeModel[];
  @Field(() => PageInfoModel) pageInfo: PageInfoModel;
  /** Counted only when asked for (see CommitmentConnectionResolver). */
  count: () => Promise<number>;
}
