import { Inject } from '@nestjs/common';
import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { EVENT_STORE, type EventStore } from '#event-store';
import { Allow } from '../../auth/allow.decorator.js';
import { logEventFrom } from './event.mapper.js';
import { LogEventModel } from './event.models.js';
import { EventsAppendedArgs } from './live.args.js';
import { eventFeed, liveIterator } from './live-feeds.js';

/** The log's events, live over graphql-ws. The log is public: anyone may follow it. */
@Allow('anonymous')
@Resolver()
export class LogLiveResolver {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

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
}
