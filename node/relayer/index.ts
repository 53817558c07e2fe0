export {
  type CreateRelayerParameters,
  createRelayer,
  DEFAULT_SAFETY_MARGIN_SECONDS,
  type Relayer,
} from "./create-relayer.ts";
export { RelayError, RelayerUnavailableError } from "./errors.ts";
export { RELAY_BODY_LIMIT, type RelayRoutesOptions, relayPlugin, relayRoutes } from "./routes.ts";
