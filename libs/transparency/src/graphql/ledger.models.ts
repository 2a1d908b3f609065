import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('LedgerInfo', { description: "The transparency log's identity and keys." })
export class LedgerInfoModel {
  @Field({ description: 'The origin line of every checkpoint, e.g. cuenta.example/cartagena.' })
  origin: string;

  @Field({ description: "The log's verifier key (Go sumdb/note form), to check its signatures." })
  verifierKey: string;

  @Field(() => [String], {
    description:
      'Verifier keys of the witnesses whose cosignatures are accepted: configured, then added (logWitnesses).',
  })
  witnessKeys: string[];

  @Field(() => Int, { description: 'Number of events in the log.' })
  size: number;
}

@ObjectType('Cosignature', {
  description: "A witness's signed statement that it saw this checkpoint and no fork.",
})
export class CosignatureModel {
  @Field()
  witness: string;

  @Field({ description: 'Key id, 8 hex digits.' })
  keyId: string;

  @Field()
  cosignedAt: Date;

  @Field({ description: 'The c2sp.org/tlog-cosignature signature line.' })
  line: string;
}

@ObjectType('Checkpoint', { description: 'A signed tree head (c2sp.org/tlog-checkpoint).' })
export class CheckpointModel {
  @Field()
  origin: string;

  @Field(() => Int)
  size: number;

  @Field({ description: 'RFC 9162 root hash, base64.' })
  rootHash: string;

  @Field({ description: 'The signed note: checkpoint body, the log signature, then cosignatures.' })
  note: string;

  @Field()
  signedAt: Date;

  @Field(() => [CosignatureModel])
  cosignatures: CosignatureModel[];
}

@ObjectType('InclusionProof', {
  description: 'RFC 9162 proof that an event is in the tree of treeSize events.',
})
export class InclusionProofModel {
  @Field()
  eventId: string;

  @Field(() => Int)
  position: number;

  @Field(() => Int)
  treeSize: number;

  @Field({ description: "The event's leaf hash, base64." })
  leafHash: string;

  @Field(() => [String], { description: 'Proof hashes, base64, leaf to root.' })
  hashes: string[];

  @Field(() => CheckpointModel, {
    nullable: true,
    description: 'The signed checkpoint of treeSize, when there is one.',
  })
  checkpoint: CheckpointModel | null;
}

@ObjectType('ConsistencyProof', {
  description: 'RFC 9162 proof that the smaller tree is a prefix of the larger.',
})
export class ConsistencyProofModel {
  @Field(() => Int)
  fromSize: number;

  @Field(() => Int)
  toSize: number;

  @Field(() => [String], { description: 'Proof hashes, base64.' })
  hashes: string[];
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
