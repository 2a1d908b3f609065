import {
  Catch,
  Controller,
  Get,
  Inject,
  Req,
  Res,
  UseFilters,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { InvalidLedgerRequestError, LogEntryNotFoundError } from '#event-store';
import { Allow } from '#platform';
import { LEDGER_SERVICE } from '../log/ledger.tokens.js';
import { LogTiles } from '../log/log-tiles.js';
import type { PostgresLedger } from '../log/postgres-ledger.js';

/** Full tiles and bundles never change: caches may keep them for a year without asking. */
export const FULL_TILE_CACHE = 'public, max-age=31536000, immutable';
/** Partial tiles are replaced by wider ones as the log grows: kept for a minute. */
export const PARTIAL_TILE_CACHE = 'public, max-age=60';
/** The checkpoint moves with every signature: a few seconds at most (c2sp.org/tlog-tiles). */
export const CHECKPOINT_CACHE = 'public, max-age=5';

/** Refused paths answer 400, tiles the tree does not reach 404, as plain text saying why. */
@Catch(InvalidLedgerRequestError, LogEntryNotFoundError)
class TileErrorFilter implements ExceptionFilter {
  catch(error: InvalidLedgerRequestError | LogEntryNotFoundError, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(error instanceof LogEntryNotFoundError ? 404 : 400)
      .set('Cache-Control', 'no-store')
      .type('text/plain; charset=utf-8')
      .send(`${error.message}\n`);
  }
}

/**
 * The log over plain HTTP as c2sp.org/tlog-tiles serves it, for monitors, mirrors and
 * witnesses: the latest checkpoint, hash tiles and entry bundles, with cache headers that let
 * a CDN or reverse proxy answer most requests.
 */
@Controller('log')
@UseFilters(TileErrorFilter)
export class LogTilesController {
  constructor(
    @Inject(LEDGER_SERVICE) private readonly ledger: PostgresLedger,
    private readonly tiles: LogTiles,
  ) {}

  @Allow('anonymous')
  @Get('checkpoint')
  async checkpoint(@Res() response: Response): Promise<void> {
    const latest = await this.ledger.latestCheckpoint();
    if (!latest) {
      throw new LogEntryNotFoundError('checkpoint', 'the log has not signed a checkpoint yet');
    }
    response
      .status(200)
      .set('Cache-Control', CHECKPOINT_CACHE)
      .type('text/plain; charset=utf-8')
      .send(await this.ledger.cosignedNote(latest));
  }

  @Allow('anonymous')
  @Get('tile/*path')
  async tile(@Req() request: Request, @Res() response: Response): Promise<void> {
    const served = await this.tiles.read(request.path.slice('/log/'.length), {
      gzip: request.acceptsEncodings('gzip', 'identity') === 'gzip',
    });
    if (served.tile.kind === 'entries') response.vary('Accept-Encoding');
    if (served.encoding === 'gzip') response.set('Content-Encoding', 'gzip');
    response
      .status(200)
      .set('Cache-Control', served.full ? FULL_TILE_CACHE : PARTIAL_TILE_CACHE)
      .type('application/octet-stream')
      .send(Buffer.from(served.bytes.buffer, served.bytes.byteOffset, served.bytes.byteLength));
  }
}
