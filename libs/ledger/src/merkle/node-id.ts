import { InvalidArgumentError } from '../errors.js';

/**
 * A perfect subtree: the node at `level` (0 = leaves) and `index` (0-based from the left at that
 * level), covering leaves [index * 2^level, (index + 1) * 2^level).
 */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/**
 * Leaf positions are plain numbers, so trees are limited to 2^53 - 1 leaves; arithmetic below
 * uses multiplication and division because JavaScript's bitwise operators stop at 32 bits.
 */
export function assertSize(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(`${what} must be a non-negative safe integer, got ${value}`);
  }
}

/** First leaf covered by `node`. */
export function firstLeaf(node: NodeId): number {
  return node.index * 2 ** node.level;
}

/** One past the last leaf covered by `node`. */
export function endLeaf(node: NodeId): number {
  return (node.index + 1) * 2 ** node.level;
}

/**
 * The leaf position whose event row stores `node`'s hash. Appending leaf i completes exactly the
 * perfect subtrees that end at i, and the row of leaf i stores those, so a node lives in the row
 * of its last leaf.
 */
export function storedAt(node: NodeId): number {
  return endLeaf(node) - 1;
}

/**
 * The perfect subtrees that appending leaf `leafIndex` completes, in level order: the leaf
 * itself at level 0, then one node per trailing 1 bit of `leafIndex`. This is the layout of the
 * leaf's stored hash row (32 bytes per node, concatenated in this order).
 */
export function completedBy(leafIndex: number): NodeId[] {
  assertSize(leafIndex, 'leaf index');
  const nodes: NodeId[] = [{ level: 0, index: leafIndex }];
  let index = leafIndex;
  let level = 0;
  while (index % 2 === 1) {
    index = (index - 1) / 2;
    level++;
    nodes.push({ level, index });
  }
  return nodes;
}

/**
 * The perfect subtrees that exactly cover [begin, end), left to right, as large as alignment
 * allows. Precondition: 0 <= begin <= end.
 */
export function decompose(begin: number, end: number): NodeId[] {
  const nodes: NodeId[] = [];
  let position = begin;
  while (position < end) {
    // The largest aligned power of two starting at `position` that still fits before `end`.
    let size = 1;
    let level = 0;
    while (position % (size * 2) === 0 && position + size * 2 <= end) {
      size *= 2;
      level++;
    }
    nodes.push({ level, index: position / size });
    position += size;
  }
  return nodes;
}
