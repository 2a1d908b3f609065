import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { loadConfig } from '#platform';

// No Docker engine runs here, so the files are checked for what would break them: names
// that must agree with the code's configuration.
const compose = parse(readFileSync('docker/compose.yaml', 'utf8'));
const dockerfile = readFileSync('docker/Dockerfile', 'utf8');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

describe('docker/compose.yaml', () => {
  it('runs PostgreSQL and the API', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'postgres']);
  });

  it('gives the API an environment the configuration accepts, pointing at the postgres service', () => {
    const env = compose.services.api.environment;
    const config = loadConfig(env, '/');
    const url = new URL(env.DATABASE_URL);
    expect(url.hostname).toBe('postgres');
    expect(url.pathname).toBe(`/${compose.services.postgres.environment.POSTGRES_DB}`);
    expect(url.username).toBe(compose.services.postgres.environment.POSTGRES_USER);
    expect(config.databaseUrl).toBe(env.DATABASE_URL);
    expect(config.host).toBe('0.0.0.0');
    expect(compose.services.api.ports).toEqual([`127.0.0.1:${config.port}:${config.port}`]);
  });

  it('starts the API once PostgreSQL is healthy and health-checks it on /health/ready', () => {
    expect(compose.services.api.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(compose.services.api.healthcheck.test.join(' ')).toContain(
      'http://127.0.0.1:3000/health/ready',
    );
    expect(compose.services.postgres.healthcheck.test.join(' ')).toContain('pg_isready');
  });

  it('builds the API from docker/Dockerfile at the repository root', () => {
    expect(compose.services.api.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
  });
});

describe('docker/Dockerfile', () => {
  const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]);

  it('is multi-stage and runs as a non-root user', () => {
    expect(stages).toEqual(['build', 'production-deps', 'runtime']);
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime).toMatch(/^USER node$/m);
  });

  it('ships production dependencies only', () => {
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(dockerfile.slice(dockerfile.indexOf('AS runtime'))).toContain(
      'COPY --from=production-deps /app/node_modules ./node_modules',
    );
  });

  it('starts the same entry point as npm start, on the configured port', () => {
    const entry = pkg.scripts.start
      .split('&&')
      .pop()
      .trim()
      .replace(/^node /, '');
    expect(dockerfile).toContain(`CMD ["node", "${entry}"]`);
    const env = Object.fromEntries(
      [...dockerfile.matchAll(/(\w+)=(\S+)/g)]
        .filter(([, k]) => /^[A-Z_]+$/.test(k))
        .map(([, k, v]) => [k, v]),
    );
    expect(loadConfig(env, '/').port).toBe(3000);
    expect(dockerfile).toContain('EXPOSE 3000');
    expect(dockerfile).toContain("'/health/ready'");
  });

  it('copies every file the build needs', () => {
    for (const file of ['tsconfig.json', '.swcrc', 'apps', 'libs', 'package-lock.json']) {
      expect(dockerfile).toContain(file);
    }
    expect(pkg.scripts.build).toContain('swc');
  });
});
