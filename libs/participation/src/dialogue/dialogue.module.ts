import { Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#event-store';
import { READ_DATA_SOURCE } from '#platform';
import { DialogueSpaceCommandHandler } from './application/dialogue-space-command.handler.js';
import { DialogueSpaceTimeline } from './application/dialogue-space-timeline.js';
import { CommitmentDialogueResolver } from './graphql/commitment-dialogue.resolver.js';
import { DialogueCommandsResolver } from './graphql/dialogue-commands.resolver.js';
import {
  DialogueSpaceConnectionResolver,
  DialogueSpacesResolver,
} from './graphql/dialogue-spaces.resolver.js';
import { DialogueSpaceQueries } from './read-models/dialogue-spaces/dialogue-spaces.queries.js';

/**
 * Dialogue spaces, their attendance and improvement actions: command handler, read model
 * queries and GraphQL. Needs EventStoreModule and ProjectionsModule (with
 * `dialogueSpacesReadModel`).
 */
@Module({})
export class DialogueModule {
  static forRoot(): DynamicModule {
    return {
      module: DialogueModule,
      providers: [
        {
          provide: DialogueSpaceCommandHandler,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new DialogueSpaceCommandHandler(store),
        },
        {
          provide: DialogueSpaceTimeline,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new DialogueSpaceTimeline(store),
        },
        {
          provide: DialogueSpaceQueries,
          inject: [READ_DATA_SOURCE],
          useFactory: (dataSource: DataSource) => new DialogueSpaceQueries(dataSource),
        },
        DialogueCommandsResolver,
        DialogueSpacesResolver,
        DialogueSpaceConnectionResolver,
        CommitmentDialogueResolver,
      ],
      exports: [DialogueSpaceCommandHandler, DialogueSpaceQueries, DialogueSpaceTimeline],
    };
  }
}
