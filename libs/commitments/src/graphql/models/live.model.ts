import { Field, Int, ObjectType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../scalars/json-object.scalar.js';
import { EventActorModel } from './history.model.js';

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

@ObjectType('CheckpointSigned', {
  description:
    'A checkpoint the log just signed. Ask checkpoint(size) for it with its cosignatures, and ' +
    'consistencyProof to check the log only grew since the last one you kept.',
})
export class CheckpointSignedModel {
  @Field(() => Int) size: number;
  @Field({ description: 'RFC 9162 root hash, base64.' }) rootHash: string;
  @Field({ description: 'The signed note (c2sp.org/tlog-checkpoint), without cosignatures.' })
  note: string;
  @Field(() => Date) signedAt: Date;
}
