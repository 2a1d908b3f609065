// `npm run cuenta -- <command>`: the command line of this checkout, rebuilt first only when
// a source file changed since the last build.
import { buildIfStale } from './fresh-build.js';

buildIfStale();
await import('../dist/apps/cli/src/main.js');
