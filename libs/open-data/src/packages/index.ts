// Frictionless data packages of Cuenta's open data (docs/open-data.md).
export {
  OpenDataPackages,
  PackageSnapshot,
  PackagesBusyError,
  streamWriter,
  type ChunkWriter,
  type OpenDataPackagesOptions,
  type PackageLedger,
} from './open-data-packages.js';
export { PackagesModule } from './packages.module.js';
export { PackageDirectoryError, writePackage, type WrittenPackage } from './write-package.js';
export type { PackageCheckpoint, PackageCut } from './package-descriptor.js';
export { PACKAGE_RESOURCES } from './resources/index.js';
export type { FieldSpec, PackageRow, ResourceSpec } from './resource.js';
export { fieldsMarkdown } from './fields-markdown.js';
