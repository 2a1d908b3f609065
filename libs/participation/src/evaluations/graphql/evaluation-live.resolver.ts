import { Inject } from '@nestjs/common';
import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '#event-store';
import { Allow, eventFeed, liveIterator, snapshotOf } from '#platform';
import { EVALUATION_STREAM } from '../application/evaluation-stream.js';
import { EvaluationTimeline } from '../application/evaluation-timeline.js';
import { personalPlaceholdersOf } from './evaluation-events.js';
import { evaluationFromState } from './evaluation.mapper.js';
import { EvaluationActivityArgs } from './dto/evaluation.inputs.js';
import { EvaluationActivityModel } from './models/evaluation.model.js';

const ACTIVITY = ['EvaluationSubmitted', 'EvaluationAnswered'];

/** New evaluations and official answers on a commitment, live over graphql-ws. */
@Allow('anonymous')
@Resolver()
export class EvaluationLiveResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EvaluationTimeline) private readonly timeline: EvaluationTimeline,
  ) {}

  @Subscription(() => EvaluationActivityModel, {
    description:
      'Each new evaluation of the commitment (or of its milestones) and each official answer ' +
      'to one, as the evaluation then stood.',
  })
  async evaluationActivity(@Args() args: EvaluationActivityArgs) {
    const feed = await eventFeed(
      this.store,
      { streamPrefix: 'evaluation-', types: ACTIVITY },
      undefined,
    );
    const source = this.aboutCommitment(feed.source, args.commitmentId);
    return liveIterator({
      source,
      close: feed.close,
      limit: args.limit ?? undefined,
      map: ({ event, events }) => {
        const snapshot = snapshotOf(EVALUATION_STREAM, events, { atVersion: event.streamVersion });
        // The feed delivers only events of evaluations it has read, so the state exists.
        if (snapshot.state.status === 'none')
          throw new Error('evaluation stream without submission');
        return {
          evaluationActivity: {
            type: event.type,
            position: event.position,
            evaluation: evaluationFromState(
              snapshot.state,
              snapshot.version,
              personalPlaceholdersOf(snapshot.events),
              new Date(),
            ),
          },
        };
      },
    });
  }

  /** The feed's events about the commitment, with the evaluation's events read so far. */
  private async *aboutCommitment(
    source: AsyncIterator<RecordedEvent>,
    commitmentId: string,
  ): AsyncGenerator<{ event: RecordedEvent; events: RecordedEvent[] }> {
    for (;;) {
      const next = await source.next();
      if (next.done) return;
      const event = next.value;
      const events = await this.timeline.events(String(event.data.evaluationId));
      const target = (events[0]?.data as { target?: { commitmentId?: string } } | undefined)
        ?.target;
      if (target?.commitmentId === commitmentId) yield { event, events };
    }
  }
}
