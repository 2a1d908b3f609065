import { randomBytes } from 'node:crypto';
import { link, mkdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Creates `file` holding `content`, mode 0600 (its folder 0700), unless it exists. Safe when
 * several processes (the server and the CLI) start at once: the file appears complete or
 * not at all, and the first one wins. Returns whether this call created it.
 */
export async function createPrivateFile(file: string, content: string): Promise<boolean> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode: 0o600, flag: 'wx' });
  try {
    // link() fails if another process created the file first; theirs wins, complete.
    await link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    await unlink(temporary);
  }
}
