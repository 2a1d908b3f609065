import { Module } from '@nestjs/common';
import { LogTilesController } from './log-tiles.controller.js';

/** c2sp.org/tlog-tiles read endpoints under /log, beside the GraphQL API. */
@Module({ controllers: [LogTilesController] })
export class LogTilesModule {}
