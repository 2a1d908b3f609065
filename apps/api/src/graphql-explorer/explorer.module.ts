import { Module } from '@nestjs/common';
import { ExplorerAssetsController } from './explorer.controller.js';

/** Serves GraphiQL's files for the offline /graphql explorer (see offlineExplorerPlugin). */
@Module({ controllers: [ExplorerAssetsController] })
export class GraphQLExplorerModule {}
