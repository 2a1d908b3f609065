import type { EventEnvelope } from '#ledger';
import type { JsonObject } from './event-store.port.js';

/** Turns `data` of one event type from schema version `from` into `from + 1`. */
export interface Upcaster {
  type: string;
  from: number;
  upcast(data: JsonObject, event: EventEnvelope): JsonObject;
}

/**
 * Old events stay as they were written (the ledger hashes them); readers see the current
 * shape. Upcasters chain: an event at version 1 passes through 1->2, then 2->3.
 */
export class Upcasters {
  private readonly byKey = new Map<string, Upcaster>();

  constructor(upcasters: Upcaster[] = []) {
    for (const upcaster of upcasters) this.register(upcaster);
  }

  register(upcaster: Upcaster): this {
    const key = `${upcaster.type}@${upcaster.from}`;
    if (this.byKey.has(key)) {
      throw new Error(`an upcaster for ${upcaster.type} from version ${upcaster.from} exists`);
    }
    this.byKey.set(key, upcaster);
    return this;
  }

  apply(event: EventEnvelope): EventEnvelope {
    let current = event;
    for (;;) {
      const upcaster = this.byKey.get(`${current.type}@${current.schemaVersion}`);
      if (!upcaster) return current;
      current = {
        ...current,
        schemaVersion: current.schemaVersion + 1,
        data: upcaster.upcast(current.data as JsonObject, current),
      };
    }
  }
}
