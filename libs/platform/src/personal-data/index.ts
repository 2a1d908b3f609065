export * from './personal-data.js';
export * from './personal-data.errors.js';
export { loadOrCreatePersonalDataKey } from './personal-data-key.js';
export { loadPersonalDataConfig, type PersonalDataConfig } from './personal-data-config.js';
export {
  PersonalDataStore,
  RECEIPT_HOLDER,
  receiptHash,
  type ErasureResult,
  type EventToSeal,
  type PersonalDataStoreOptions,
  type PersonalRef,
  type Queryable,
  type RevealedValue,
  type SealedValue,
  type SealRequest,
  type SealResult,
} from './personal-data.store.js';
export { PersonalDataModule, type PersonalDataModuleOptions } from './personal-data.module.js';
export { PERSONAL_DATA_MIGRATIONS } from './personal-data.migrations.js';
export {
  eraseAndRecord,
  erasureStream,
  PERSONAL_DATA_ERASED,
  type ErasureRequest,
  type RecordedErasure,
} from './personal-data-erasure.js';
export { mayReveal, maySeeSubjects } from './personal-data-visibility.js';
export * from './graphql/index.js';
