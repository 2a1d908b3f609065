import { Field, InputType } from '@nestjs/graphql';
import { IsDate, IsString, Matches, MaxLength, MinLength } from 'class-validator';

@InputType('PersonalDataAuthorizationInput', {
  description:
    "The person's authorization for their personal data (Ley 1581 art. 9), recorded in the " +
    'log beside each value. Required when a value is sensitive.',
})
export class PersonalDataAuthorizationInput {
  @Field({ description: 'What the data will be used for, as the person was told.' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  purpose: string;

  @Field({
    description: 'sha256: and the 64 lower-case hex digits of the privacy notice shown.',
  })
  @Matches(/^sha256:[0-9a-f]{64}$/, { message: 'sha256: and 64 lower-case hex digits' })
  noticeHash: string;

  @Field(() => Date, { description: 'When the person gave it.' })
  @IsDate()
  givenAt: Date;
}

/** The input as the store records it. */
export function authorizationOf(
  input: PersonalDataAuthorizationInput | null | undefined,
): { purpose: string; noticeHash: string; givenAt: string } | undefined {
  if (input === null || input === undefined) return undefined;
  return {
    purpose: input.purpose,
    noticeHash: input.noticeHash,
    givenAt: input.givenAt.toISOString(),
  };
}
