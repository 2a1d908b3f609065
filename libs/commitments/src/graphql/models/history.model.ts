import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum ViewSourceEnum {
  READ_MODEL = 'read_model',
  LOG = 'log',
}
registerEnumType(ViewSourceEnum, {
  name: 'ViewSource',
  description:
    '`READ_MODEL`: the current state as projected (it may trail the log by a moment); ' +
    "`LOG`: folded from the commitment's events just now, as a time travel asks.",
});

@ObjectType('CommitmentView', {
  description: 'Which version of the commitment is shown, and as of when.',
})
export class CommitmentViewModel {
  @Field(() => ViewSourceEnum) source: ViewSourceEnum;
  @Field(() => Int, { description: 'The highest stream version folded into what is shown.' })
  version: number;
  @Field(() => Int, {
    nullable: true,
    description: "The stream's version now (null when shown from the read model).",
  })
  latestVersion: number | null;
  @Field(() => Date, { nullable: true, description: 'The business date asked for.' })
  asOf: Date | null;
  @Field(() => Date, { nullable: true, description: 'The record date asked for.' })
  knownAt: Date | null;
  @Field(() => Int, { nullable: true, description: 'The stream version asked for.' })
  atVersion: number | null;
  @Field(() => Int, {
    description:
      'Retroactive changes: events about the time shown (business time at or before asOf) that ' +
      'were recorded after the record date shown (knownAt, else asOf). With knownAt they are ' +
      'left out of what is shown; with asOf alone they are in it. 0: the record of that time ' +
      'says what is shown.',
  })
  recordedLater: number;
}
