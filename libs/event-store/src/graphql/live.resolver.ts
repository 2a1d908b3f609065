import { Inject } from '@nestjs/common';
import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { toBase64 } from '#ledger';
import { Allow } from '#platform';
import { EVENT_STORE } from '../event-store.module.js';
import type { EventStore } from '../event-store.port.js';
import { logEventFrom } from './event.mapper.js';
import { LogEventModel } from './event.models.js';
import { CheckpointSignedModel } from './ledger.models.js';
import { EventsAppendedArgs, LiveArgs } from './live.args.js';
import { CheckpointFeed, eventFeed, liveIterator } from './live-feeds.js';

/** The log and its checkpoints, live over graphql-ws. The log is public: anyone may follow it. */
@Allow('anonymous')
@Resolver()
export class LogLiveResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CheckpointFeed) private readonly checkpoints: CheckpointFeed,
  ) {}

  @Subscription(() => LogEventModel, {
    description: 'Events as they are appended, in log order, filtered by stream and type.',
  })
  async eventsAppended(@Args() args: EventsAppendedArgs) {
    const feed = await eventFeed(
      this.store,
      {
        streams: args.streams ?? undefined,
        streamPrefix: args.streamPrefix ?? undefined,
        types: args.types ?? undefined,
      },
      args.from ?? undefined,
      { raw: true },
    );
    return liveIterator({
      ...feed,
      limit: args.limit ?? undefined,
      map: (event) => ({ eventsAppended: logEventFrom(event) }),
    });
  }

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
