import { Field, ObjectType } from '@nestjs/graphql';
import { PageInfoModel } from '#platform';
import { CommitmentModel } from './commitment.model.js';

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
