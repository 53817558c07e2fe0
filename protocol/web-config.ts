// What the node tells the web app it serves about the chain: its id, the RPC the app reads it through
// (the Content-Security-Policy allows exactly that origin) and the contracts of its deployment record.
// Served at `/web-config.json` beside the app; the app parses it with this schema before using any of it.
import { z } from "zod";

/** Where the web app's configuration is served, beside `index.html`. */
export const WEB_CONFIG_PATH = "/web-config.json";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);

export const webConfigSchema = z.object({
  chainId: z.number().int().positive(),
  /** The chain's JSON-RPC, http(s) or ws(s). */
  rpc: z.string().regex(/^(https?|wss?):\/\//),
  contracts: z.object({ token: address, escrow: address }),
});
export type WebConfig = z.infer<typeof webConfigSchema>;
