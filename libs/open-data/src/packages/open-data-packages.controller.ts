import {
  Catch,
  Controller,
  Get,
  Param,
  Req,
  Res,
  UseFilters,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { Allow, ReadModelsBehindError } from '#platform';
import {
  OpenDataPackages,
  PackagesBusyError,
  streamWriter,
  type PackageSnapshot,
} from './open-data-packages.js';

/** A package moves with the log: caches may keep one a few seconds, then ask again (ETag). */
export const PACKAGE_CACHE = 'public, max-age=5';
/** Bumped when the published shape changes, so an old ETag never matches a new shape. */
const SHAPE = 'v1';

/** A name the package does not publish: 404, naming the ones it does. */
export class UnknownResourceError extends Error {
  constructor(
    readonly file: string,
    readonly known: readonly string[],
  ) {
    super(
      `no open-data resource "${file}": the package publishes datapackage.json and, as .csv or ` +
        `.json, ${known.join(', ')}`,
    );
    this.name = 'UnknownResourceError';
  }
}

@Catch(UnknownResourceError, ReadModelsBehindError, PackagesBusyError)
class PackageErrorFilter implements ExceptionFilter {
  catch(
    error: UnknownResourceError | ReadModelsBehindError | PackagesBusyError,
    host: ArgumentsHost,
  ): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) {
      response.destroy(error);
      return;
    }
    if (error instanceof ReadModelsBehindError) response.set('Retry-After', '1');
    if (error instanceof PackagesBusyError) response.set('Retry-After', '5');
    response
      .status(error instanceof UnknownResourceError ? 404 : 503)
      .set('Cache-Control', 'no-store')
      .type('text/plain; charset=utf-8')
      .send(`${error.message}\n`);
  }
}

/**
 * The open-data package over plain HTTP, beside the GraphQL API: datapackage.json and each
 * resource as CSV or JSON, each read at a consistent cut of the log (`X-Cuenta-Log-Size`).
 * The ETag is the cut, so a client that has it is answered 304 without a read of the rows.
 */
@Controller('open-data')
@UseFilters(PackageErrorFilter)
export class OpenDataPackagesController {
  constructor(private readonly packages: OpenDataPackages) {}

  @Allow('anonymous')
  @Get('datapackage.json')
  async descriptor(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.serve(request, response, 'application/json', async (snapshot) => {
      const text = `${JSON.stringify(snapshot.descriptor(), null, 2)}\n`;
      return () => response.send(text);
    });
  }

  @Allow('anonymous')
  @Get(':file')
  async resource(
    @Param('file') file: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const match = /^(.+)\.(csv|json)$/.exec(file);
    const resource = match ? this.packages.resource(match[1]) : undefined;
    if (!match || !resource) {
      throw new UnknownResourceError(
        file,
        this.packages.resources.map((r) => r.name),
      );
    }
    const csv = match[2] === 'csv';
    await this.serve(
      request,
      response,
      csv ? 'text/csv; charset=utf-8; header=present' : 'application/json',
      async (snapshot) => {
        const write = streamWriter(response);
        if (csv) await snapshot.writeCsv(resource, write);
        else await snapshot.writeJson(resource, write);
        return () => response.end();
      },
    );
  }

  private async serve(
    request: Request,
    response: Response,
    type: string,
    body: (snapshot: PackageSnapshot) => Promise<() => void>,
  ): Promise<void> {
    const snapshot = await this.packages.open();
    // The answer is finished only once the snapshot is closed: a client that asks for the
    // next file as soon as this one ends must find this snapshot's place free, not a 503.
    let finish: (() => void) | undefined;
    try {
      const { cut } = snapshot;
      const etag = `"${SHAPE}-${cut.logSize}"`;
      response
        .set('Cache-Control', PACKAGE_CACHE)
        .set('ETag', etag)
        .set('X-Cuenta-Log-Size', String(cut.logSize));
      if (cut.checkpoint) response.set('X-Cuenta-Checkpoint-Size', String(cut.checkpoint.size));
      if (request.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) {
        finish = () => response.status(304).end();
        return;
      }
      response.status(200).type(type);
      try {
        finish = await body(snapshot);
      } catch (error) {
        // Once rows are on the wire no error page can follow: end the response abruptly, so
        // the client sees a truncated transfer rather than a short table that looks whole.
        if (!response.headersSent) throw error;
        response.destroy(error as Error);
      }
    } finally {
      try {
        await snapshot.close();
      } finally {
        finish?.();
      }
    }
  }
}
