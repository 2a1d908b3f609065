// Single-thread throughput of bundle verification, for sizing the CLI's worker pool. Not a test.
//
//   npm run build && npx swc libs/ledger/test -d dist --config-file .swcrc --only '**/*.ts' \
//     --ignore '**/*.spec.ts' -q && node dist/libs/ledger/test/bench/verify-throughput.js [events]
//
// It times, over synthetic ~600-byte envelopes: the per-line work a worker does (parse, shape
// check, canonical check, leaf hash) and the whole streaming verifier on one thread.
import {
  BundleVerifier,
  canonicalize,
  CompactRange,
  formatCheckpoint,
  leafHash,
  leafHashesOf,
  leafHashOfText,
  signNote,
  utf8,
  verifierKeyFor,
  generateSignerKey,
  type EventEnvelope,
} from '../../src/index.js';

const count = Number(process.argv[2] ?? 200_000);
const origin = 'bench.cuenta/log';
const signer = generateSignerKey(origin);

function envelope(position: number): EventEnvelope {
  const hex = position.toString(16).padStart(12, '0');
  return {
    id: `0b9e3f64-5c3a-4c2e-9f0d-${hex}`,
    stream: `commitment-${position % 997}`,
    streamVersion: Math.floor(position / 997) + 1,
    position,
    type: 'MilestoneProgressReported',
    schemaVersion: 1,
    data: {
      milestoneId: `m${position % 7}`,
      progress: position % 101,
      note: 'Avance reportado por la Secretaría de Planeación en la mesa territorial de la Localidad 2',
      evidence: [`https://cartagena.gov.co/evidencias/${position}.pdf`],
    },
    metadata: {
      actor: {
        subject: `u-${position % 50}`,
        role: 'official',
        agency: 'Secretaría de Planeación',
      },
      occurredAt: '2023-05-01T14:00:00.000Z',
      recordedAt: '2023-05-01T14:00:01.250Z',
      correlationId: `corr-${position}`,
      commandId: `cmd-${position}`,
    },
  };
}

const lines: string[] = [];
let bytes = 0;
for (let i = 0; i < count; i++) {
  const line = canonicalize(envelope(i));
  lines.push(line);
  bytes += line.length + 1;
}
const range = CompactRange.empty();
for (const line of lines) range.append(leafHash(utf8(line)));
const checkpoint = signNote(formatCheckpoint({ origin, size: count, rootHash: range.root() }), [
  signer,
]);

function time(label: string, f: () => void): void {
  const start = process.hrtime.bigint();
  f();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = Math.round(count / seconds).toLocaleString('en-US');
  console.log(`${label.padEnd(48)} ${seconds.toFixed(2)} s  ${rate} events/s`);
}

console.log(`${count} events, ${Math.round(bytes / count)} bytes per line on average`);
// One untimed pass so the timings below are of optimized code.
leafHashesOf(lines.slice(0, 20_000), { firstPosition: 0 });

time('leaf hash only (leafHashOfText)', () => {
  for (const line of lines) leafHashOfText(line);
});
time('leafHashesOf (parse, shape, canonical, hash)', () => {
  leafHashesOf(lines, { firstPosition: 0 });
});
time('BundleVerifier, one thread, end to end', () => {
  const verifier = new BundleVerifier({ origin, logKey: verifierKeyFor(signer) });
  verifier.checkCheckpoint(checkpoint);
  lines.forEach((line, i) => verifier.addEventLine(line, i + 1));
  verifier.finish();
});
