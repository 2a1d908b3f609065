import { Inject } from '@nestjs/common';
import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { formatKeyId, toBase64 } from '#ledger';
import { EVENT_STORE, LogEntryNotFoundError, type EventStore } from '#event-store';
import { Allow, LogEventModel, logEventFrom } from '#platform';
import { LEDGER_SERVICE } from '../log/ledger.tokens.js';
import {
  noteWithCosignatures,
  type PostgresLedger,
  type StoredCheckpoint,
  type StoredCosignature,
} from '../log/postgres-ledger.js';
import {
  CheckpointArgs,
  ConsistencyProofArgs,
  InclusionProofArgs,
  SubmitCosignatureArgs,
} from './ledger.args.js';
import {
  CheckpointModel,
  ConsistencyProofModel,
  CosignatureModel,
  InclusionProofModel,
  LedgerInfoModel,
} from './ledger.models.js';

/** Everything here is public: the log exists so that anyone can check it. */
@Resolver()
export class LedgerResolver {
  constructor(@Inject(LEDGER_SERVICE) private readonly ledger: PostgresLedger) {}

  @Allow('anonymous')
  @Query(() => LedgerInfoModel, { description: "The log's origin, keys and size." })
  async ledgerInfo(): Promise<LedgerInfoModel> {
    return {
      origin: this.ledger.origin,
      verifierKey: this.ledger.verifierKey,
      witnessKeys: await this.ledger.acceptedWitnessKeys(),
      size: await this.ledger.size(),
    };
  }

  @Allow('anonymous')
  @Query(() => CheckpointModel, { nullable: true, description: 'The newest signed checkpoint.' })
  async latestCheckpoint(): Promise<CheckpointModel | null> {
    const checkpoint = await this.ledger.latestCheckpoint();
    return checkpoint ? this.toModel(checkpoint) : null;
  }

  @Allow('anonymous')
  @Query(() => CheckpointModel, {
    nullable: true,
    description: 'The checkpoint of a tree size, if one was signed.',
  })
  async checkpoint(@Args() { size }: CheckpointArgs): Promise<CheckpointModel | null> {
    const checkpoint = await this.ledger.checkpointAt(size);
    return checkpoint ? this.toModel(checkpoint) : null;
  }

  @Allow('anonymous')
  @Query(() => InclusionProofModel, { description: 'Proof that an event is in the log.' })
  inclusionProof(@Args() args: InclusionProofArgs): Promise<InclusionProofModel> {
    return inclusionProofModelOf(this.ledger, args);
  }

  @Allow('anonymous')
  @Query(() => String, {
    description: 'An offline proof for one event (c2sp.org/tlog-proof), to keep or publish.',
  })
  tlogProof(@Args() args: InclusionProofArgs): Promise<string> {
    return this.ledger.tlogProof(args);
  }

  @Allow('anonymous')
  @Query(() => ConsistencyProofModel, {
    description: 'Proof that the log only grew between two sizes.',
  })
  async consistencyProof(@Args() args: ConsistencyProofArgs): Promise<ConsistencyProofModel> {
    const hashes = await this.ledger.consistencyProof(args);
    return { ...args, hashes: hashes.map((hash) => toBase64(hash)) };
  }

  @Allow('anonymous')
  @Query(() => [CosignatureModel], { description: 'The witness cosignatures of a checkpoint.' })
  async cosignatures(@Args() { size }: CheckpointArgs): Promise<CosignatureModel[]> {
    return (await this.ledger.cosignatures(size)).map(toCosignatureModel);
  }

  /** A witness authenticates by its signature, verified against the configured witness keys. */
  @Allow('anonymous')
  @Mutation(() => CosignatureModel, {
    description: "Stores a witness's cosignature after verifying it.",
  })
  async submitCosignature(@Args() args: SubmitCosignatureArgs): Promise<CosignatureModel> {
    return toCosignatureModel(
      await this.ledger.addCosignature({ size: args.size, line: args.cosignature }),
    );
  }

  @Allow('administrator', 'oversight')
  @Mutation(() => CheckpointModel, { description: 'Signs a checkpoint of the current log now.' })
  async signCheckpoint(): Promise<CheckpointModel> {
    const checkpoint = await this.ledger.signCheckpoint();
    if (!checkpoint)
      throw new LogEntryNotFoundError('event', 'the log is empty: there is nothing to sign');
    return this.toModel(checkpoint);
  }

  private toModel(checkpoint: StoredCheckpoint): Promise<CheckpointModel> {
    return checkpointModelOf(this.ledger, checkpoint);
  }
}

/** A stored checkpoint as the API shows it, with its cosignatures. */
async function checkpointModelOf(
  ledger: PostgresLedger,
  checkpoint: StoredCheckpoint,
): Promise<CheckpointModel> {
  const cosignatures = await ledger.cosignatures(checkpoint.size);
  return {
    origin: ledger.origin,
    size: checkpoint.size,
    rootHash: toBase64(checkpoint.rootHash),
    note: noteWithCosignatures(checkpoint, cosignatures),
    signedAt: checkpoint.signedAt,
    cosignatures: cosignatures.map(toCosignatureModel),
  };
}

/**
 * An event's inclusion proof as the API shows it, by position or id, against `treeSize` or
 * the smallest checkpoint that covers it: what `inclusionProof` answers, for any field that
 * puts a proof one field away from an event (its `event` field is resolved with it).
 */
export async function inclusionProofModelOf(
  ledger: PostgresLedger,
  args: { position?: number; eventId?: string; treeSize?: number },
): Promise<InclusionProofModel> {
  const proof = await ledger.inclusionProof(args);
  const checkpoint = await ledger.checkpointAt(proof.treeSize);
  return {
    eventId: proof.eventId,
    position: proof.position,
    treeSize: proof.treeSize,
    leafHash: toBase64(proof.leafHash),
    hashes: proof.hashes.map((hash) => toBase64(hash)),
    checkpoint: checkpoint ? await checkpointModelOf(ledger, checkpoint) : null,
  };
}

function toCosignatureModel(cosignature: StoredCosignature): CosignatureModel {
  return {
    witness: cosignature.witness,
    keyId: formatKeyId(cosignature.keyId),
    cosignedAt: cosignature.cosignedAt,
    line: cosignature.line,
  };
}

/** The event an inclusion proof is about, served with it so that a client can check both. */
@Resolver(() => InclusionProofModel)
export class InclusionProofResolver {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @ResolveField(() => LogEventModel, {
    description:
      'The event the proof is for, exactly as stored: its canonical field is what leafHash hashes.',
  })
  async event(@Parent() proof: InclusionProofModel): Promise<LogEventModel> {
    const [event] = await this.store.readAll({ from: proof.position, limit: 1, raw: true });
    if (event?.position !== proof.position) {
      throw new LogEntryNotFoundError('event', `no event at position ${proof.position}`);
    }
    return logEventFrom(event);
  }
}
