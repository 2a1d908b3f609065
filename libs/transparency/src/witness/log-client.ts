import { TransparencyError } from '../support/errors.js';
import { messageOf } from '../support/text.js';

interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

/** The log's public GraphQL API, over plain fetch: all a witness needs. */
export class LogClient {
  readonly endpoint: string;

  constructor(
    server: URL,
    private readonly timeoutMs: number,
  ) {
    const url = new URL(server);
    if (!url.pathname.endsWith('/graphql'))
      url.pathname = `${url.pathname.replace(/\/$/, '')}/graphql`;
    this.endpoint = url.toString();
  }

  async ledgerInfo(): Promise<{ origin: string; verifierKey: string }> {
    const data = await this.request<{ ledgerInfo: { origin: string; verifierKey: string } }>(
      'ledgerInfo',
      '{ ledgerInfo { origin verifierKey } }',
    );
    return data.ledgerInfo;
  }

  /** The newest checkpoint's note, with the cosignatures the log holds; null if none yet. */
  async latestCheckpoint(): Promise<{ size: number; note: string } | null> {
    const data = await this.request<{ latestCheckpoint: { size: number; note: string } | null }>(
      'latestCheckpoint',
      '{ latestCheckpoint { size note } }',
    );
    return data.latestCheckpoint;
  }

  /** Base64 hashes of the consistency proof between two sizes. */
  async consistencyProof(fromSize: number, toSize: number): Promise<string[]> {
    const data = await this.request<{ consistencyProof: { hashes: string[] } }>(
      'consistencyProof',
      'query ($from: Int!, $to: Int!) { consistencyProof(fromSize: $from, toSize: $to) { hashes } }',
      { from: fromSize, to: toSize },
    );
    return data.consistencyProof.hashes;
  }

  async submitCosignature(size: number, cosignature: string): Promise<void> {
    await this.request(
      'submitCosignature',
      'mutation ($size: Int!, $line: String!) { submitCosignature(size: $size, cosignature: $line) { witness } }',
      { size, line: cosignature },
    );
  }

  private async request<T>(
    operation: string,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      throw new TransparencyError(`cannot reach ${this.endpoint}: ${messageOf(cause ?? error)}`);
    }
    let body: { data?: T | null; errors?: GraphQLError[] };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new TransparencyError(
        `${this.endpoint} answered ${operation} with HTTP ${response.status} and no GraphQL JSON`,
      );
    }
    const error = body.errors?.[0];
    if (error) {
      const code = error.extensions?.code ? ` (${error.extensions.code})` : '';
      throw new TransparencyError(`the log refused ${operation}: ${error.message}${code}`);
    }
    if (!response.ok || !body.data) {
      throw new TransparencyError(
        `${this.endpoint} answered ${operation} with HTTP ${response.status}`,
      );
    }
    return body.data;
  }
}
