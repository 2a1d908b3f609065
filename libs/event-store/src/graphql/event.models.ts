import { Field, Int, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from './json-object.scalar.js';

@ObjectType('EventActor', { description: 'Who made a change, as their verified token said.' })
export class EventActorModel {
  @Field() subject: string;
  @Field() role: string;
  @Field(() => String, { nullable: true }) agency: string | null;
}

@ObjectType('LogEvent', {
  description: 'An event as the log stores it (and the ledger hashes it).',
})
export class LogEventModel {
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
