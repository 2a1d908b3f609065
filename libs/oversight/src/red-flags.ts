// What `cuenta flags` needs from oversight, without the server's libraries (no Nest, no
// PostgreSQL): the pure red-flag rules and the fold over an export's events.
export * from './red-flags/domain/index.js';
export {
  flagsFromExport,
  foldEventsFile,
  UnreadableEventLine,
  type OfflineFlags,
} from './red-flags/offline/flags-from-export.js';
