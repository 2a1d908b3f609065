import { Inject } from '@nestjs/common';
import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '#event-store';
import { Allow } from '../../auth/allow.decorator.js';
import { sharedPayload } from '../payload-sharing.js';
import { logEventFrom } from './event.mapper.js';
import { LogEventModel } from './event.models.js';
import { EventsAppendedArgs } from './live.args.js';
import { eventFeed, liveIterator } from './live-feeds.js';

/**
 * The payload of an event, one object for all the subscribers that read it (a live feed's
 * reads are shared): its fields are the event's own, the same for every caller, so each
 * operation executes it once for all of them (`sharedPayload`).
 */
const payloads = new WeakMap<RecordedEvent, { eventsAppended: LogEventModel }>();
function payloadOf(event: RecordedEvent): { eventsAppended: LogEventModel } {
  let payload = payloads.get(event);
  if (payload === undefined) {
    payload = sharedPayload({ eventsAppended: logEventFrom(event) });
    payloads.set(event, payload);
  }
  return payload;
}

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
      map: payloadOf,
    });
  }
}
