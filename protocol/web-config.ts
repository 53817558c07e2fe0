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
  /** The block the contracts were deployed in: payments are looked for from there. */
  deployBlock: z.number().int().nonnegative(),
  /** True when the node relays gasless payments (`/v1/relay`). */
  relayer: z.boolean(),
  /**
   * On a development chain only (`isDevChain`), and only when the node is told to (`--web-demo-accounts`):
   * accounts of Hardhat's published mnemonic the app offers to open in one click, by name and index.
   */
  demoAccounts: z
    .array(z.object({ name: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/), index: z.number().int().min(0).max(999) }))
    .max(16)
    .optional(),
});
export type WebConfig = z.infer<typeof webConfigSchema>;
