import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Replaces `file` atomically: the text is written to a temporary file beside it, flushed to
 * disk, renamed over it, and the folder is flushed so the rename itself survives a crash. A
 * crash leaves the old content or the new one, never half of either. On failure the
 * temporary file is removed and the error thrown as it came.
 */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    const handle = await open(temporary, 'w', 0o644);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const folder = await open(path.dirname(file), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
