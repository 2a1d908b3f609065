import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Allow } from '#platform';
import { etagOf, noneMatchHits } from './conditional-get.js';
import { FEED_KINDS, FEEDS_PATH, RED_FLAGS_FEED_FILE, type FeedKind } from './feed-urls.js';
import { FeedsService } from './feeds.service.js';

/** Feeds change with every event: caches keep one a minute, then ask again with the tag. */
export const FEED_CACHE = 'public, max-age=60';
const ATOM = 'application/atom+xml; charset=utf-8';
const SUFFIX = '.atom';
/** A host name, IPv4 or bracketed IPv6 address, and an optional port. */
const HOST = /^([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;

/**
 * Atom feeds of what changes, for people who want to be told: per commitment, per lead
 * agency and per action plan, and of red flags. Public; conditional GET with a strong ETag answers 304 when the
 * caller's copy is current.
 */
@Controller(FEEDS_PATH)
export class FeedsController {
  constructor(@Inject(FeedsService) private readonly feeds: FeedsService) {}

  @Allow('anonymous')
  @Get(RED_FLAGS_FEED_FILE)
  async redFlags(@Req() request: Request, @Res() response: Response): Promise<void> {
    const base = baseOf(request, response);
    if (base === undefined) return;
    // Judged now, as redFlags without asOf: a time-dependent flag opens with the clock.
    send(request, response, await this.feeds.redFlagsAtom(base, new Date()));
  }

  @Allow('anonymous')
  @Get(':kind/:file')
  async feed(
    @Param('kind') segment: string,
    @Param('file') file: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const kind = (Object.keys(FEED_KINDS) as FeedKind[]).find((k) => FEED_KINDS[k] === segment);
    const key = file.endsWith(SUFFIX) ? file.slice(0, -SUFFIX.length) : undefined;
    if (kind === undefined || key === undefined || key === '') {
      notFound(
        response,
        `no such feed: feeds are /${FEEDS_PATH}/<${Object.values(FEED_KINDS).join('|')}>/<id>${SUFFIX}`,
      );
      return;
    }
    const base = baseOf(request, response);
    if (base === undefined) return;
    const body = await this.feeds.atom(kind, key, base);
    if (body === undefined) {
      notFound(response, `no ${kind} "${key}" has any commitment recorded`);
      return;
    }
    send(request, response, body);
  }
}

/** The API's address as the caller reached it; undefined (answered 400) for a bad Host. */
function baseOf(request: Request, response: Response): string | undefined {
  const host = request.get('host');
  if (host === undefined || !HOST.test(host)) {
    response
      .status(400)
      .set('Cache-Control', 'no-store')
      .type('text/plain; charset=utf-8')
      .send('the Host header must be a host name or address, with an optional port\n');
    return undefined;
  }
  return `${request.protocol}://${host}`;
}

/** The feed under its ETag, or 304 when the caller's copy is current. */
function send(request: Request, response: Response, body: string): void {
  const etag = etagOf(body);
  response.set('ETag', etag).set('Cache-Control', FEED_CACHE);
  if (noneMatchHits(request.get('If-None-Match'), etag)) {
    response.status(304).end();
    return;
  }
  response.status(200).type(ATOM).send(body);
}

function notFound(response: Response, reason: string): void {
  response
    .status(404)
    .set('Cache-Control', 'no-store')
    .type('text/plain; charset=utf-8')
    .send(`${reason}\n`);
}
