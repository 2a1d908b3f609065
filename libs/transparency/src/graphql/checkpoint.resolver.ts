import { Inject } from '@nestjs/common';
import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { toBase64 } from '#ledger';
import { Allow, LiveArgs, liveIterator } from '#platform';
import { CheckpointFeed } from './checkpoint-feed.js';
import { CheckpointSignedModel } from './ledger.models.js';

/** The log's checkpoints, live over graphql-ws. The log is public: anyone may follow it. */
@Allow('anonymous')
@Resolver()
export class CheckpointLiveResolver {
  constructor(@Inject(CheckpointFeed) private readonly checkpoints: CheckpointFeed) {}

  @Subscription(() => CheckpointSignedModel, {
    description: 'Each checkpoint the log signs, by any server of this deployment.',
  })
  async checkpointSigned(@Args() args: LiveArgs) {
    const feed = await this.checkpoints.open();
    return liveIterator({
      ...feed,
      limit: args.limit ?? undefined,
      map: (checkpoint) => ({
        checkpointSigned: {
          size: checkpoint.size,
          rootHash: toBase64(checkpoint.rootHash),
          note: checkpoint.note,
          signedAt: checkpoint.signedAt,
        },
      }),
    });
  }
}
