import { Field, Int, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from './json-object.scalar.js';

@ObjectType('EventActor', { description: 'Who made a change, as their verified token said.' })
export class EventActorModel {
  @Field() subject: string;
  @Field() role: string;
  @Field(() => String, { nullable: true }) agency: string | null;
}

@ObjectType('LogEvent', {
  description:
    'An event as the log stores it (and the ledger hashes it), at the schema version it was recorded with.',
})
export class LogEventModel {
  @Field({
    description:
      'The event exactly as the log stored and hashed it: its RFC 8785 canonical JSON. Its UTF-8 bytes are the Merkle leaf input, so SHA-256 of the byte 0x00 followed by them is the leafHash of its inclusion proof. The other fields are read from it: actor, occurredAt, recordedAt, reason and commandId sit under "metadata" there, and a member that was never set is absent, not null. Keep it, not the fields, to check a proof (docs/verification.md).',
  })
  canonical: string;

  @Field() id: string;
  @Field() stream: string;
  @Field(() => Int) streamVersion: number;
  @Field(() => Int, { description: 'Global position: what inclusion proofs take.' })
  position: number;
  @Field() type: string;
  @Field(() => Int) schemaVersion: number;
  @Field(() => JSONObjectScalar) data: Record<string, unknown>;
  @Field(() => EventActorModel, { nullable: true }) actor: EventActorModel | null;
  @Field(() => Date) occurredAt: Date;
  @Field(() => Date) recordedAt: Date;
  @Field(() => String, { nullable: true }) reason: string | null;
  @Field(() => String, { nullable: true }) commandId: string | null;
}
