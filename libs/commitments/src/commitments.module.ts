import { Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '#event-store';
import { CommitmentCommandHandler } from './application/commitment-command.handler.js';
import { CommitmentCommandsResolver } from './graphql/commitment-commands.resolver.js';

/** The commitments context: command handlers and their GraphQL API. Needs EventStoreModule. */
@Module({
  providers: [
    {
      provide: CommitmentCommandHandler,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore) => new CommitmentCommandHandler(store),
    },
    CommitmentCommandsResolver,
  ],
  exports: [CommitmentCommandHandler],
})
export class CommitmentsModule {}
