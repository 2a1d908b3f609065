import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '#platform';
import { evaluationSettings } from './evaluation-settings.js';

describe('evaluation settings', () => {
  it('defaults to hiding after 3 reports and 30 / 120 submissions an hour', () => {
    expect(evaluationSettings({})).toEqual({
      autoHideAfter: 3,
      submissionsPerWindow: { anonymous: 30, authenticated: 120, windowSeconds: 3600 },
    });
  });

  it('reads the variables and names a bad one', () => {
    expect(
      evaluationSettings({
        CUENTA_EVALUATION_AUTO_HIDE_AFTER: '5',
        CUENTA_EVALUATION_LIMIT_ANONYMOUS: '0',
      }),
    ).toMatchObject({ autoHideAfter: 5, submissionsPerWindow: { anonymous: 0 } });
    expect(() => evaluationSettings({ CUENTA_EVALUATION_AUTO_HIDE_AFTER: '0' })).toThrow(
      ConfigError,
    );
    expect(() => evaluationSettings({ CUENTA_EVALUATION_LIMIT_ANONYMOUS: 'many' })).toThrow(
      /CUENTA_EVALUATION_LIMIT_ANONYMOUS/,
    );
  });
});
