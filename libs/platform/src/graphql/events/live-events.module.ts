import { Module } from '@nestjs/common';
import { LogLiveResolver } from './live.resolver.js';

/**
 * The log's events, live over graphql-ws (`eventsAppended`), for any context's streams.
 * Needs the global EVENT_STORE (EventStoreModule).
 */
@Module({ providers: [LogLiveResolver] })
export class LiveEventsModule {}
