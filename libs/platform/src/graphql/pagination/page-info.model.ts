import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('PageInfo', { description: 'Relay cursor pagination.' })
export class PageInfoModel {
  @Field() hasNextPage: boolean;
  @Field() hasPreviousPage: boolean;
  @Field(() => String, { nullable: true }) startCursor: string | null;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

/**
 * The page info of a page of `edges` in a Relay connection. `hasPreviousPage`: the page
 * was asked for after a cursor.
 */
export function pageInfoOf(
  edges: readonly { cursor: string }[],
  page: { hasNextPage: boolean; hasPreviousPage: boolean },
): PageInfoModel {
  return {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges[edges.length - 1]?.cursor ?? null,
  };
}
