import path from 'node:path';
import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Allow } from '#platform';
import {
  folderOf,
  sendFileUnder,
  sendNotFound,
  STATIC_CACHE,
} from '../static-assets/static-file.js';

const graphiql = folderOf(import.meta.resolve('graphiql/graphiql.min.js'));
const react = path.join(folderOf(import.meta.resolve('react/package.json')), 'umd');
const reactDom = path.join(folderOf(import.meta.resolve('react-dom/package.json')), 'umd');
const browser = folderOf(new URL('./browser/start-graphiql.dom.js', import.meta.url).href);

/** The only files the explorer serves, each from the folder it is read from. */
const FILES: Readonly<Record<string, string>> = {
  'graphiql.min.js': graphiql,
  'graphiql.min.css': graphiql,
  'react.production.min.js': react,
  'react-dom.production.min.js': reactDom,
  'start-graphiql.dom.js': browser,
};

/** The explorer fills the window. */
const EXPLORER_CSS =
  'body { margin: 0; height: 100vh; overflow: hidden; } #graphiql { height: 100vh; }\n';

/** GraphiQL's files for the /graphql explorer (explorer-page.ts), from this server. */
@Controller('graphql-explorer')
export class ExplorerAssetsController {
  @Allow('anonymous')
  @Get('explorer.css')
  style(@Res() response: Response): void {
    response
      .status(200)
      .set('Cache-Control', STATIC_CACHE)
      .type('text/css; charset=utf-8')
      .send(EXPLORER_CSS);
  }

  @Allow('anonymous')
  @Get(':file')
  async file(@Param('file') file: string, @Res() response: Response): Promise<void> {
    if (Object.hasOwn(FILES, file)) await sendFileUnder(response, FILES[file], file);
    else sendNotFound(response, file);
  }
}
