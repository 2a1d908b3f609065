import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('PersonalDataErasure', {
  description:
    "What an erasure did: the subject's values and key are destroyed, and PersonalDataErased " +
    'is in the log at `position`. Erasing again changes nothing and answers the same.',
})
export class PersonalDataErasureModel {
  @Field(() => ID)
  subjectId: string;

  @Field(() => Date)
  erasedAt: Date;

  @Field({ description: 'True when the subject had been erased before: nothing changed now.' })
  alreadyErased: boolean;

  @Field(() => Int, { description: 'Global position of the PersonalDataErased event.' })
  position: number;
}
