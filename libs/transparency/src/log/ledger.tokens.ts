/** Injection token of the application's PostgresLedger. */
export const LEDGER_SERVICE = Symbol('LEDGER_SERVICE');
