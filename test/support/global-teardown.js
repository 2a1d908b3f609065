export default async function globalTeardown() {
  const { tearDownRun } = await import('../../dist/test/support/run-teardown.js');
  await tearDownRun();
}
