import { Inject } from '@nestjs/common';
import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '#event-store';
import { Allow, eventFeed, liveIterator } from '#platform';
import { CommitmentTimeline, snapshotOf } from '../application/commitment-timeline.js';
import { commitmentStream } from '../domain/index.js';
import { commitmentFromState } from './commitment.mapper.js';
import { CommitmentChangedArgs } from './dto/live.args.js';
import { CommitmentModel } from './models/commitment.model.js';

/**
 * A commitment, live over graphql-ws. Commitments are public, so anyone may follow one; the
 * log's own subscriptions (eventsAppended, checkpointSigned) are the event store's.
 */
@Allow('anonymous')
@Resolver()
export class CommitmentLiveResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CommitmentTimeline) private readonly timeline: CommitmentTimeline,
  ) {}

  @Subscription(() => CommitmentModel, {
    nullable: true,
    description: 'The commitment, folded from its events, each time one is appended to its stream.',
  })
  async commitmentChanged(@Args() args: CommitmentChangedArgs) {
    const feed = await eventFeed(this.store, { streams: [commitmentStream(args.id)] }, undefined);
    // The stream as last read: it serves every event it already holds (a command's events
    // arrive together), so the stream is read again only for an event newer than it.
    let read: RecordedEvent[] = [];
    return liveIterator({
      ...feed,
      limit: args.limit ?? undefined,
      map: async (event) => {
        if ((read.at(-1)?.streamVersion ?? 0) < event.streamVersion) {
          read = await this.timeline.events(args.id);
        }
        const snapshot = snapshotOf(read, { atVersion: event.streamVersion });
        if (snapshot.state.status === 'empty') return { commitmentChanged: null };
        return {
          commitmentChanged: commitmentFromState(snapshot.state, snapshot.version, {
            source: 'log',
            version: snapshot.version,
            latestVersion: snapshot.latestVersion,
            asOf: null,
            knownAt: null,
            atVersion: event.streamVersion,
            recordedLater: 0,
            events: snapshot.events,
          }),
        };
      },
    });
  }
}
