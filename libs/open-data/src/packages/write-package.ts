import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { PackageCut } from './package-descriptor.js';
import { streamWriter, type OpenDataPackages } from './open-data-packages.js';

export interface WrittenPackage {
  cut: PackageCut;
  /** Rows written per resource, in the package's order. */
  rows: { resource: string; rows: number }[];
}

/** A directory that cannot take a package (not empty, not a directory). */
export class PackageDirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageDirectoryError';
  }
}

/**
 * Writes the data package into `dir` (created if missing; it must be empty): every resource's
 * CSV, then datapackage.json, so a directory with a datapackage.json holds a whole package.
 * All resources are read at one cut, streamed: memory does not grow with the log.
 */
export async function writePackage(
  packages: OpenDataPackages,
  dir: string,
): Promise<WrittenPackage> {
  await mkdir(dir, { recursive: true });
  const present = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    throw new PackageDirectoryError(`cannot read ${dir}: ${error.code ?? error.message}`);
  });
  if (present.length > 0) {
    throw new PackageDirectoryError(
      `${dir} is not empty (it holds ${present.slice(0, 3).join(', ')}${present.length > 3 ? ', ...' : ''}); ` +
        'give an empty or new directory',
    );
  }
  const snapshot = await packages.open();
  try {
    const rows: WrittenPackage['rows'] = [];
    for (const resource of packages.resources) {
      const file = createWriteStream(join(dir, `${resource.name}.csv`), { encoding: 'utf8' });
      const count = await snapshot.writeCsv(resource, streamWriter(file));
      file.end();
      await finished(file);
      rows.push({ resource: resource.name, rows: count });
    }
    const descriptor = join(dir, 'datapackage.json');
    await writeFile(`${descriptor}.partial`, `${JSON.stringify(snapshot.descriptor(), null, 2)}\n`);
    await rename(`${descriptor}.partial`, descriptor);
    return { cut: snapshot.cut, rows };
  } finally {
    await snapshot.close();
  }
}
