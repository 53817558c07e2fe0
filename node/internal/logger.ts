// The logger every part of the node is given: the indexer, the API, the hub and the relayer log through
// this much of pino and no more, so that a test or a benchmark can hand them `silentLog` (or a spy) and
// `gram-node` the pino logger of `cli/log.ts`.

/** The subset of a pino logger the node's parts use. */
export interface Log {
  debug(object: object, message: string): void;
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** A logger that drops everything: the default of each part when none is given. */
export const silentLog: Log = { debug() {}, info() {}, warn() {}, error() {} };
