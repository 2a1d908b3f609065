import { Field, ID, ObjectType } from '@nestjs/graphql';
import { JSONScalar } from '../../graphql/scalars/json.scalar.js';

@ObjectType('PersonalValue', {
  description:
    'A personal value (docs/privacy.md): the log holds only its commitment; the value is kept ' +
    'apart, encrypted, shown to the roles allowed to see it, and erasable on request.',
})
export class PersonalValueModel {
  @Field(() => JSONScalar, {
    nullable: true,
    description: 'The value; null when it was erased or the caller may not see it.',
  })
  value: unknown;

  @Field({ description: 'True when the person (or an administrator) had the value erased.' })
  erased: boolean;

  @Field(() => Date, { nullable: true, description: 'When it was erased.' })
  erasedAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'What kind of value it is (null once erased): comment (public unless moderated), name and contact (to ' +
      'answer the person), sensitive (a self-declared group, Ley 1581 art. 5).',
  })
  kind: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "The person's pseudonymous subject id: shown only to administrators, who erase by it.",
  })
  subjectId: string | null;

  @Field({
    description:
      "sha256: and the hex SHA-256 of the value's 32-byte salt followed by its RFC 8785 " +
      'canonical JSON: what the log holds. The author proves the value with the salt of ' +
      'their receipt.',
  })
  commitment: string;
}
