import { Inject } from '@nestjs/common';
import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { toBase64 } from '#ledger';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '#event-store';
import { Allow } from '#platform';
import { CommitmentTimeline, snapshotOf } from '../application/commitment-timeline.js';
import { commitmentStream } from '../domain/index.js';
import { commitmentFromState, eventActorFrom } from './commitment.mapper.js';
import { CommitmentChangedArgs, EventsAppendedArgs, LiveArgs } from './dto/live.args.js';
import { CheckpointFeed, eventFeed, liveIterator } from './live-feeds.js';
import { CommitmentModel } from './models/commitment.model.js';
import { CheckpointSignedModel, LogEventModel } from './models/live.model.js';

function logEventFrom(event: RecordedEvent): LogEventModel {
  const { actor, occurredAt, recordedAt, reason, commandId } = event.metadata;
  return {
    id: event.id,
    stream: event.stream,
    streamVersion: event.streamVersion,
    position: event.position,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    actor: eventActorFrom(actor),
    occurredAt: new Date(occurredAt),
    recordedAt: new Date(recordedAt),
    reason: reason ?? null,
    commandId: commandId ?? null,
  };
}

/** Live updates over graphql-ws. The log is public, so anyone may follow it. */
@Allow('anonymous')
@Resolver()
export class LiveResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CommitmentTimeline) private readonly timeline: CommitmentTimeline,
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
    );
    return liveIterator({
      ...feed,
      limit: args.limit ?? undefined,
      map: (event) => ({ eventsAppended: logEventFrom(event) }),
    });
  }

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
