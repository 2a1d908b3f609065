import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { UnauthenticatedError } from '../auth/auth.errors.js';
import { RateLimitedError } from '../rate-limit/rate-limiter.js';
import { BatchTooLargeError, RequestTooLargeError } from './graphql.errors.js';
import { asRequestError, clientIp, httpStatusOf } from './request-gate.js';

const request = (remote: string, forwarded?: string) =>
  ({
    socket: { remoteAddress: remote },
    headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
  }) as unknown as IncomingMessage;

describe('clientIp', () => {
  it('uses the socket address unless proxies are trusted', () => {
    expect(clientIp(request('10.0.0.1', '203.0.113.7'), 0)).toBe('10.0.0.1');
  });

  it('takes the address the trusted hops saw, not what the client claims', () => {
    const spoofed = request('10.0.0.1', '6.6.6.6, 203.0.113.7');
    expect(clientIp(spoofed, 1)).toBe('203.0.113.7');
    expect(clientIp(spoofed, 2)).toBe('6.6.6.6');
    expect(clientIp(spoofed, 5)).toBe('6.6.6.6');
  });
});

describe('request errors', () => {
  it('maps each refusal of a whole request to its HTTP status', () => {
    expect(httpStatusOf(new UnauthenticatedError('TOKEN_EXPIRED', 'x'))).toBe(401);
    expect(httpStatusOf(new RateLimitedError(5))).toBe(429);
    expect(httpStatusOf(new RequestTooLargeError('x', 10))).toBe(413);
    expect(httpStatusOf(new BatchTooLargeError('x', 2, 3))).toBe(400);
  });

  it('carries status, Retry-After and the typed error for Apollo', () => {
    const error = asRequestError(new RateLimitedError(7)) as GraphQLError;
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.originalError).toBeInstanceOf(RateLimitedError);
    expect(error.extensions).toEqual({
      code: 'RATE_LIMITED',
      http: { status: 429, headers: new Map([['retry-after', '7']]) },
    });
  });

  it('passes anything that is not a CuentaError through untouched', () => {
    const internal = new Error('boom');
    expect(asRequestError(internal)).toBe(internal);
  });
});
