import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { LEDGER_SERVICE, type PostgresLedger } from '#transparency';
import { Allow } from '#platform';
import { folderOf, sendFileUnder, STATIC_CACHE } from '../static-assets/static-file.js';
import { renderVerifyPage, VERIFY_PAGE_CSP, VERIFY_PATHS } from './page-html.js';
import { VERIFY_PAGE_CSS } from './page-style.js';

/** Where each served prefix reads from: the built files, never the source tree. */
const ROOTS = {
  // This folder's browser/ scripts, as the build compiled them beside this file.
  app: folderOf(new URL('./browser/page.dom.js', import.meta.url).href),
  // libs/ledger as built: package.json "imports" names it, so it is found wherever it lives.
  ledger: folderOf(import.meta.resolve('#ledger')),
  nobleCurves: folderOf(import.meta.resolve('@noble/curves/ed25519.js')),
  nobleHashes: folderOf(import.meta.resolve('@noble/hashes/sha2.js')),
};

/**
 * GET /verify: a page where a citizen checks a tlog-proof for an event with libs/ledger running
 * in the browser, against the log key the page pins, loading nothing from any other origin.
 */
@Controller('verify')
export class VerifyPageController {
  constructor(@Inject(LEDGER_SERVICE) private readonly ledger: PostgresLedger) {}

  @Allow('anonymous')
  @Get()
  page(@Res() response: Response): void {
    response
      .status(200)
      .set('Content-Security-Policy', VERIFY_PAGE_CSP)
      .set('Cache-Control', 'no-cache')
      .set('X-Content-Type-Options', 'nosniff')
      .set('Referrer-Policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(renderVerifyPage({ verifierKey: this.ledger.verifierKey, origin: this.ledger.origin }));
  }

  @Allow('anonymous')
  @Get('style.css')
  style(@Res() response: Response): void {
    response
      .status(200)
      .set('Cache-Control', STATIC_CACHE)
      .type('text/css; charset=utf-8')
      .send(VERIFY_PAGE_CSS);
  }

  @Allow('anonymous')
  @Get('app/*path')
  async app(@Req() request: Request, @Res() response: Response): Promise<void> {
    await sendFileUnder(response, ROOTS.app, request.path.slice(VERIFY_PATHS.app.length));
  }

  @Allow('anonymous')
  @Get('ledger/*path')
  async ledgerFile(@Req() request: Request, @Res() response: Response): Promise<void> {
    await sendFileUnder(response, ROOTS.ledger, request.path.slice(VERIFY_PATHS.ledger.length));
  }

  @Allow('anonymous')
  @Get('vendor/noble-curves/*path')
  async nobleCurves(@Req() request: Request, @Res() response: Response): Promise<void> {
    const relative = request.path.slice(VERIFY_PATHS.nobleCurves.length);
    await sendFileUnder(response, ROOTS.nobleCurves, relative);
  }

  @Allow('anonymous')
  @Get('vendor/noble-hashes/*path')
  async nobleHashes(@Req() request: Request, @Res() response: Response): Promise<void> {
    const relative = request.path.slice(VERIFY_PATHS.nobleHashes.length);
    await sendFileUnder(response, ROOTS.nobleHashes, relative);
  }
}
