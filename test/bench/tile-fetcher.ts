import { formatTilePath, TILE_WIDTH, tileWidthIn, type Tile } from '#ledger';
import { HttpResources } from '#transparency/standalone';

// The mirror benchmark's baseline, run as a process of its own as `cuenta mirror` is: the
// same resources the mirror fetches for a first full mirror (the checkpoint, then every
// level-0 hash tile and entry bundle of a tree of the given size), with the same HTTP client
// (HttpResources, so the same connections, Accept-Encoding and decompression) and as many in
// flight, each body read whole and dropped: nothing parsed, verified or written.
//
//   node tile-fetcher.js <server> <size> <in flight>
// Prints one JSON line: { resources, bytes }.

const [server, sizeArg, inFlightArg] = process.argv.slice(2);
const size = Number(sizeArg);
const inFlight = Number(inFlightArg);
const base = new URL('log/', server.endsWith('/') ? server : `${server}/`);

const paths = ['checkpoint'];
for (let index = 0; index * TILE_WIDTH < size; index++) {
  const tile: Tile = {
    kind: 'hashes',
    level: 0,
    index,
    width: tileWidthIn({ level: 0, index, treeSize: size }),
  };
  paths.push(formatTilePath(tile), formatTilePath({ ...tile, kind: 'entries' }));
}

const resources = new HttpResources(base, { connections: inFlight });
let next = 0;
let bytes = 0;
const worker = async () => {
  while (next < paths.length) {
    const body = await resources.get(paths[next++]);
    bytes += body.length;
  }
};
await Promise.all(Array.from({ length: inFlight }, worker));
resources.close();
process.stdout.write(`${JSON.stringify({ resources: paths.length, bytes })}\n`);
