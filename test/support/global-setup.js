// Jest loads this file as plain ESM (no transform, no module mapper), so it builds the
// project first and runs the compiled harness; the end-to-end suites need the build anyway,
// since they start the server as `npm start` does.
import { execFileSync } from 'node:child_process';

export default async function globalSetup() {
  execFileSync('npm', ['run', '--silent', 'build:test'], { stdio: 'inherit' });
  const { setUpRun } = await import('../../dist/test/support/run-setup.js');
  await setUpRun();
  // The compiled harness loaded @nestjs/graphql in this process, which keeps its type registry
  // on the global object; a file run in band shares that object, and the registry's copies of
  // the platform's GraphQL types would clash with the file's own (two EventActor types).
  delete globalThis.GqlTypeMetadataStorage;
  delete globalThis.GqlLazyMetadataStorageHost;
}
