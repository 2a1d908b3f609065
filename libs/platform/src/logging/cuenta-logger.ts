import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { Config } from '../config/config.js';
import { currentRequestId } from './request-id.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** The log levels shown at a configured level: it and every more severe one. */
export function logLevels(level: Config['logLevel']): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

type JsonLogLine = ReturnType<ConsoleLogger['getJsonLogObject']>;

/**
 * Nest's console logger, with the id of the request or graphql-ws operation being served
 * on every line it logs. As JSON (one object per line, for a log stack to index) or as
 * readable lines with the id after the context, e.g. `[GraphQL] [3f0c…]`.
 */
export class CuentaLogger extends ConsoleLogger {
  constructor(config: Pick<Config, 'logLevel' | 'logFormat'>) {
    const json = config.logFormat === 'json';
    super({ logLevels: logLevels(config.logLevel), json, colors: json ? false : undefined });
  }

  /** Nest's fields (level, pid, timestamp, message, context, stack) and the request id. */
  protected override getJsonLogObject(
    message: unknown,
    options: { context: string; logLevel: LogLevel; errorStack?: unknown; error?: Error },
  ): JsonLogLine {
    const line = super.getJsonLogObject(message, options);
    const requestId = currentRequestId();
    return requestId === undefined ? line : { ...line, requestId };
  }

  protected override formatContext(context: string): string {
    const requestId = currentRequestId();
    const formatted = super.formatContext(context);
    return requestId === undefined
      ? formatted
      : `${formatted}${this.colorize(`[${requestId}]`, 'verbose')} `;
  }
}
