import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { PersonalDataReceipt } from '../../commands/personal-sealing.js';

@ObjectType('PersonalDataReceiptValue', {
  description: 'One personal value of a receipt: where it is and the salt that proves it.',
})
export class PersonalDataReceiptValueModel {
  @Field({ description: 'The event that holds the value’s commitment.' })
  eventId: string;

  @Field({ description: "JSON Pointer of the value within the event's data, e.g. /contact." })
  path: string;

  @Field({ description: 'The 32-byte salt, base64url.' })
  salt: string;

  @Field({ description: 'The commitment the event holds (see PersonalValue.commitment).' })
  commitment: string;
}

@ObjectType('PersonalDataReceipt', {
  description:
    'Given once, to whoever wrote personal values: keep it. With it the author can prove ' +
    'the values were recorded unaltered (the inclusion proof of `position` plus each salt) ' +
    'and ask for their erasure without an account (erasePersonalData with `secret`). Only a ' +
    'hash of the secret is kept, so it cannot be shown again: a retry of the same command id ' +
    'answers no receipt.',
})
export class PersonalDataReceiptModel {
  @Field(() => ID, { description: 'Whose values these are: a pseudonymous id.' })
  subjectId: string;

  @Field(() => Int, { description: 'Global position of the first event holding a value.' })
  position: number;

  @Field(() => [Int], { description: 'Positions of every event holding a value.' })
  positions: number[];

  @Field(() => [String], { description: 'Ids of those events, in the same order.' })
  eventIds: string[];

  @Field(() => [PersonalDataReceiptValueModel])
  values: PersonalDataReceiptValueModel[];

  @Field(() => String, {
    nullable: true,
    description:
      'The secret that erases these values: for a write that created its subject (an ' +
      'anonymous one); null when the values joined a subject that already existed.',
  })
  secret: string | null;
}

export function personalDataReceiptModel(receipt: PersonalDataReceipt): PersonalDataReceiptModel {
  return { ...receipt, secret: receipt.secret ?? null };
}
