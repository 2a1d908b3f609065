import { ConfigError } from '../config/config.js';

/**
 * `CUENTA_DEMO`: `auto` (the default) loads the contexts' demos into an empty log when the
 * server runs on its embedded database, so `npm start` shows real data; `on` loads them into
 * any empty log; `off` never does.
 */
export type DemoSetting = 'auto' | 'on' | 'off';

export function demoSetting(env: Record<string, string | undefined>): DemoSetting {
  const value = env.CUENTA_DEMO ?? 'auto';
  if (value === 'auto' || value === 'on' || value === 'off') return value;
  throw new ConfigError('CUENTA_DEMO', 'auto, on or off', value);
}
