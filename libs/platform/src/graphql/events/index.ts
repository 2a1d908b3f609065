// What every context's GraphQL API shares about events: their models, the JSONObject scalar,
// and live feeds (the log's eventsAppended, and the helpers other subscriptions build on).
export { eventActorFrom, logEventFrom } from './event.mapper.js';
export { EventActorModel, LogEventModel } from './event.models.js';
export { JSONObjectScalar } from './json-object.scalar.js';
export { EventsAppendedArgs, LiveArgs } from './live.args.js';
export { eventFeed, liveIterator, unreachableFor, type FeedRetry } from './live-feeds.js';
export { LiveEventsModule } from './live-events.module.js';
export { LogLiveResolver } from './live.resolver.js';
