import { CuentaError } from '#platform';

/**
 * A command id that already names a different command on this commitment. Command ids make
 * retries safe; reusing one for another command would silently drop the second, so it is
 * refused instead.
 */
export class CommandIdReusedError extends CuentaError {
  readonly code = 'COMMAND_ID_REUSED';
  constructor(readonly commandId: string) {
    super(
      `command id ${commandId} was already used for a different command on this commitment; ` +
        'send a new id for a new command',
    );
    this.name = 'CommandIdReusedError';
  }
  override details() {
    return { field: 'commandId', commandId: this.commandId };
  }
}
