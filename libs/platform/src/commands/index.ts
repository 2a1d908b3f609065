// The command pipeline every context's application layer runs on: the generic handler,
// event ids, stream folding, history and time travel.
export { CommandIdReusedError } from './command.errors.js';
export {
  CommandHandler,
  type CommandHandlerOptions,
  type CommandIssuer,
  type CommandRequest,
  type CommandResult,
  type CommandStamp,
  type CommandStreamType,
  type SideWriteRun,
  type SideWrites,
  type StreamCommand,
  type StreamEvent,
} from './command-handler.js';
export {
  receiptOf,
  sealEvents,
  type PersonalDataReceipt,
  type PersonalDataRequest,
  type SealedAttempt,
} from './personal-sealing.js';
export {
  COMMAND_ID,
  COMMAND_ID_RULE,
  commandEventId,
  commandFingerprint,
  sideEventId,
} from './event-ids.js';
export {
  appendedEvent,
  EventNotUpcastError,
  foldRecorded,
  readStreamUpTo,
  toDomainEvent,
  type AppendedEvent,
  type FoldingStreamType,
  type StreamType,
} from './event-stream.js';
export {
  historyOf,
  pageOfHistory,
  snapshotOf,
  StreamTimeline,
  type HistoryEntry,
  type HistoryPage,
  type HistoryPageEntry,
  type StreamSnapshot,
  type TimeTravel,
} from './stream-timeline.js';
