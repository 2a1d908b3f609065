import { describe, expect, it } from '@jest/globals';
import { generateSignerKey, witnessVerifierKeyFor } from '#ledger';
import type { PostgresLedger, StoredCheckpoint } from '../log/postgres-ledger.js';
import { WitnessPusher, type PushLease } from './witness-pusher.js';
import type { RosterWitness } from './witness-roster.js';

// The pusher's lease, with a lease and a log of its own making: only the holder pushes, a
// standby tries again after standbyMs, and a lease lost stops the pushes until taken again.

const witnessKey = witnessVerifierKeyFor(generateSignerKey('contraloria.example'));
const witness = {
  name: 'contraloria.example',
  url: 'http://witness.invalid',
  verifierKey: witnessKey,
};

class FakeLease implements PushLease {
  held = false;
  free = true;
  attempts = 0;
  lose: () => void = () => undefined;
  acquire(): Promise<boolean> {
    this.attempts += 1;
    this.held = this.free;
    return Promise.resolve(this.held);
  }
  release(): Promise<void> {
    this.held = false;
    return Promise.resolve();
  }
  watch(_heartbeatMs: number, onLost: () => void): () => void {
    this.lose = onLost;
    return () => undefined;
  }
}

/** A log whose latest checkpoint is `size` and whose stored cosignatures reach `cosigned`. */
function fakeLedger(state: { size: number; cosigned: number }) {
  const asked: number[] = [];
  const ledger = {
    latestCheckpoint: () =>
      Promise.resolve({ size: state.size, note: 'checkpoint\n' } as StoredCheckpoint),
    cosignedSize: () => Promise.resolve(state.cosigned),
    // Asked first when pushing; failing here keeps the push from reaching any network.
    consistencyProof: (args: { fromSize: number }) => {
      asked.push(args.fromSize);
      return Promise.reject(new Error('no proofs in this test'));
    },
  } as unknown as PostgresLedger;
  return { ledger, asked };
}

describe('WitnessPusher with a lease', () => {
  const pusher = (ledger: PostgresLedger, lease: FakeLease) =>
    new WitnessPusher(ledger, {
      witnesses: () => Promise.resolve([witness as RosterWitness]),
      lease,
      standbyMs: 5000,
      timeoutMs: 1000,
    });

  it('stands by while another process holds the lease, trying again every standbyMs', async () => {
    const { ledger, asked } = fakeLedger({ size: 10, cosigned: 0 });
    const lease = new FakeLease();
    lease.free = false;
    const standby = pusher(ledger, lease);
    expect(await standby.tick(1000)).toEqual(new Map());
    expect(await standby.tick(2000)).toEqual(new Map());
    expect(lease.attempts).toBe(1);
    expect(asked).toEqual([]);
    expect(standby.active).toBe(false);

    lease.free = true;
    await standby.tick(6000);
    expect(lease.attempts).toBe(2);
    expect(standby.active).toBe(true);
    // Nothing stored: the push is from size 0.
    expect(asked).toEqual([0]);
  });

  it('starts from the largest checkpoint the witness cosigned, as the log holds it', async () => {
    const { ledger, asked } = fakeLedger({ size: 12, cosigned: 9 });
    const lease = new FakeLease();
    await pusher(ledger, lease).tick(0);
    expect(asked).toEqual([9]);
  });

  it('pushes nothing the witness has cosigned', async () => {
    const { ledger, asked } = fakeLedger({ size: 12, cosigned: 12 });
    expect(await pusher(ledger, new FakeLease()).tick(0)).toEqual(new Map());
    expect(asked).toEqual([]);
  });

  it('stops pushing when it loses the lease, and starts again from the log once it takes it back', async () => {
    const state = { size: 12, cosigned: 9 };
    const { ledger, asked } = fakeLedger(state);
    const lease = new FakeLease();
    const active = pusher(ledger, lease);
    await active.tick(0);
    expect(asked).toEqual([9]);

    lease.lose();
    expect(active.active).toBe(false);
    lease.free = false;
    expect(await active.tick(10_000)).toEqual(new Map());

    // Meanwhile another process pushed 12.
    state.cosigned = 12;
    state.size = 15;
    lease.free = true;
    await active.tick(20_000);
    expect(asked).toEqual([9, 12]);
  });
});
