import { describe, expect, it } from '@jest/globals';
import { parseDuration } from './token.command.js';

describe('parseDuration', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect(['90', '90s', '30m', '8h', '7d'].map(parseDuration)).toEqual([
      90, 90, 1800, 28_800, 604_800,
    ]);
  });

  it('refuses zero, negatives, fractions and other units', () => {
    expect(['0', '0h', '-5m', '1.5h', '1y', 'h', ''].map(parseDuration)).toEqual(
      Array(7).fill(undefined),
    );
  });
});
