export * from './errors.js';
export { toBase64, fromBase64 } from './encoding/base64.js';
export { bytesEqual, concatBytes, fromHex, toHex, utf8 } from './encoding/bytes.js';
export { canonicalize, canonicalBytes } from './jcs/canonicalize.js';
export {
  leafBytesOf,
  parseEventEnvelope,
  type EventActor,
  type EventEnvelope,
  type EventMetadata,
  type JsonObject,
  type JsonValue,
} from './event/envelope.js';
