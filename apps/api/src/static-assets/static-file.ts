import { readFile } from 'node:fs/promises';
import type { Response } from 'express';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** The folder of a module or package file that `import.meta.resolve` gave. */
export function folderOf(resolvedUrl: string): string {
  return path.dirname(fileURLToPath(resolvedUrl));
}

/**
 * The file `relative` names under `root`, when it is one a browser may load: a path of plain
 * segments (no `..`, `.`, empty segment, backslash or NUL) ending in .js, .css or .map.
 * Undefined for anything else, so a request can never reach outside `root`.
 */
export function fileUnder(root: string, relative: string): string | undefined {
  if (relative === '' || /[\\\0]/.test(relative)) return undefined;
  const segments = relative.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  if (CONTENT_TYPES[path.extname(relative)] === undefined) return undefined;
  const file = path.join(root, ...segments);
  return file.startsWith(root + path.sep) ? file : undefined;
}

/** The Content-Type to serve a file fileUnder accepted with. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
}

/** The file's bytes, or undefined when there is no such file. */
export async function readIfPresent(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** How long browsers keep these files: they revalidate each time (ETag), as a deploy may change them. */
export const STATIC_CACHE = 'no-cache';

/**
 * Answers with the file `relative` names under `root` (see fileUnder), or 404 in plain text
 * naming what was asked for.
 */
export async function sendFileUnder(
  response: Response,
  root: string,
  relative: string,
): Promise<void> {
  const file = fileUnder(root, relative);
  const bytes = file === undefined ? undefined : await readIfPresent(file);
  if (file === undefined || bytes === undefined) {
    sendNotFound(response, relative);
    return;
  }
  response
    .status(200)
    .set('Cache-Control', STATIC_CACHE)
    .set('X-Content-Type-Options', 'nosniff')
    .type(contentTypeOf(file))
    .send(bytes);
}

/** 404 in plain text naming the file asked for. */
export function sendNotFound(response: Response, relative: string): void {
  response
    .status(404)
    .set('Cache-Control', 'no-store')
    .type('text/plain; charset=utf-8')
    .send(`no such file: ${relative}\n`);
}
