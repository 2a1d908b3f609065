import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';

export interface ServerProcess {
  url: string;
  output(): string;
  /** The exit code once the process has exited, else null. */
  exitCode(): number | null;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}

/**
 * Runs the built API (`node dist/apps/api/src/main.js`, what `npm start` runs after
 * building) as a separate process and waits until /health answers. `script` runs another
 * built entry point instead (e.g. the API with test-only resolvers).
 */
export async function startServer(
  env: Record<string, string | undefined>,
  timeoutMs = 30_000,
  script = 'dist/apps/api/src/main.js',
): Promise<ServerProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [script], {
    env: { ...process.env, DATABASE_URL: undefined, ...env, PORT: String(port) },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not answer within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    output: () => output,
    exitCode: () => child.exitCode,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      const [code] = await exited;
      return code as number | null;
    },
  };
}

/** Runs `node <script>` to completion, returning its exit code and output. */
export async function runNode(
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
) {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stdout, stderr };
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
}

/** One GraphQL request over plain HTTP, as any client would send it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read responses by shape
export async function graphql<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<T> };
}
