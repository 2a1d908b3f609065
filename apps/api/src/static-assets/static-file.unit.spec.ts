import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { contentTypeOf, fileUnder } from './static-file.js';

const root = path.resolve('/srv/cuenta/ledger');

describe('files a browser may load from a folder', () => {
  it('accepts plain paths to scripts, stylesheets and source maps under the folder', () => {
    expect(fileUnder(root, 'index.js')).toBe(path.join(root, 'index.js'));
    expect(fileUnder(root, 'crypto/crypto.browser.js')).toBe(
      path.join(root, 'crypto', 'crypto.browser.js'),
    );
    expect(fileUnder(root, 'a/b.css')).toBe(path.join(root, 'a', 'b.css'));
    expect(contentTypeOf('x/index.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('x/a.css')).toBe('text/css; charset=utf-8');
  });

  it('refuses anything that could leave the folder or is not a browser asset', () => {
    for (const relative of [
      '',
      '../package.json',
      '../secret.js',
      'a/../../b.js',
      './index.js',
      'a//b.js',
      '/etc/x.js',
      'a\\..\\b.js',
      'x.js\0',
      'package.json',
      'log.key',
      'index.ts',
    ]) {
      expect(fileUnder(root, relative)).toBeUndefined();
    }
  });
});
