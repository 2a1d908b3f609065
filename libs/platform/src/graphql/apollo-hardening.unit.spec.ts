import { describe, expect, it } from '@jest/globals';
import { answersApplicationJson } from './apollo-hardening.js';

describe('answersApplicationJson', () => {
  it.each([
    [undefined, true],
    ['', true],
    ['*/*', true],
    ['application/json', true],
    ['application/*', true],
    ['application/graphql-response+json', false],
    ['application/graphql-response+json, application/json', false],
    ['application/json, application/graphql-response+json', true],
    ['application/graphql-response+json;q=0.9, application/json', true],
    ['application/json;q=0, application/graphql-response+json', false],
    ['application/graphql-response+json, */*;q=0.5', false],
    ['text/html', true],
  ])('Accept %p answers application/json: %p', (accept, expected) => {
    expect(answersApplicationJson(accept)).toBe(expected);
  });
});
