export {
  type CreateRelayerParameters,
  createRelayer,
  DEFAULT_SAFETY_MARGIN_SECONDS,
  type Relayer,
  type RelayerStatus,
} from "./create-relayer.ts";
export { RelayError, RelayerUnavailableError } from "./errors.ts";
export { DEFAULT_RELAYER_LIMITS, type RelayerLimits } from "./limits.ts";
export { RELAY_BODY_LIMIT, type RelayRoutesOptions, relayPlugin, relayRoutes } from "./routes.ts";
