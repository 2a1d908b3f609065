import type { EventStore } from '#event-store';
import { ConfigError } from '#platform';
import { cartagena2023History } from '../demo/cartagena-2023.js';
import type { CommitmentCommandHandler } from './commitment-command.handler.js';

/**
 * `CUENTA_DEMO`: `auto` (the default) loads the Cartagena demo into an empty log when the
 * server runs on its embedded database, so `npm start` shows real data; `on` loads it into
 * any empty log; `off` never does.
 */
export type DemoSetting = 'auto' | 'on' | 'off';

export function demoSetting(env: Record<string, string | undefined>): DemoSetting {
  const value = env.CUENTA_DEMO ?? 'auto';
  if (value === 'auto' || value === 'on' || value === 'off') return value;
  throw new ConfigError('CUENTA_DEMO', 'auto, on or off', value);
}

/**
 * Runs the Cartagena demo's commands through the command handler, as the demo's actors and
 * at its business times, if the log is empty. Its command ids make it safe to run twice (two
 * replicas starting together record it once). Resolves with the number of commands run, or
 * 0 when the log already held events.
 */
export async function loadDemo(
  store: EventStore,
  handler: CommitmentCommandHandler,
): Promise<number> {
  if ((await store.head()) > 0) return 0;
  for (const step of cartagena2023History) {
    await handler.handle({
      command: step.command,
      issuer: { kind: 'trusted', actor: step.actor },
      commandId: step.commandId,
      occurredAt: new Date(step.occurredAt),
    });
  }
  return cartagena2023History.length;
}
