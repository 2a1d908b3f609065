import { Field, Int, ObjectType } from '@nestjs/graphql';

// The receipt of a write that stored personal data (Ley 1581), as the personal-data contract
// names it. It stands here until the platform's CommandResult carries it for every context.

@ObjectType('PersonalDataReceiptValue')
export class PersonalDataReceiptValueModel {
  @Field({ description: 'JSON Pointer of the value in the event, e.g. /comment.' }) path: string;
  @Field({ description: 'The 32-byte salt, base64url: with the value it proves the commitment.' })
  salt: string;
  @Field({ description: 'sha256:<hex> of the salt and the value, as the log holds it.' })
  commitment: string;
}

@ObjectType('PersonalDataReceipt', {
  description:
    'Keep it: it proves your contribution was recorded unaltered (the inclusion proof of ' +
    '`position` plus each salt) and lets you ask for its erasure without an account (secret).',
})
export class PersonalDataReceiptModel {
  @Field(() => Int) position: number;
  @Field(() => [String]) eventIds: string[];
  @Field() subjectId: string;
  @Field(() => [PersonalDataReceiptValueModel]) values: PersonalDataReceiptValueModel[];
  @Field(() => String, {
    nullable: true,
    description: 'Shown once, for a new pseudonymous subject; only its hash is kept.',
  })
  secret: string | null;
}
