import { CuentaError } from '../errors/cuenta-error.js';

/**
 * A command id that already names a different command on this stream. Command ids make
 * retries safe; reusing one for another command would silently drop the second, so it is
 * refused instead. `streamType` names the stream in the message (`commitment`).
 */
export class CommandIdReusedError extends CuentaError {
  readonly code = 'COMMAND_ID_REUSED';
  constructor(
    readonly commandId: string,
    streamType = 'stream',
  ) {
    super(
      `command id ${commandId} was already used for a different command on this ${streamType}; ` +
        'send a new id for a new command',
    );
    this.name = 'CommandIdReusedError';
  }
  override details() {
    return { field: 'commandId', commandId: this.commandId };
  }
}
