import type { z } from "zod";
import { NodeUnavailableError } from "../errors.ts";
import type { NodeRequest, NodeTransport } from "./http.ts";

export interface CreateNodeClientParameters {
  /** How the node is reached: `http(url, { timeout })`. */
  transport: NodeTransport;
}

export interface NodeClient {
  readonly transport: NodeTransport;
  /** A request whose answer must match `schema` (one of `protocol/api.ts`): its parsed value, else a NodeUnavailableError. */
  request<Schema extends z.ZodType>(request: NodeRequest & { schema: Schema }): Promise<z.output<Schema>>;
}

/**
 * A client of a gram node's API, for the actions of `wallet/node/` (`getStatus`, `getAccount`,
 * `relayTransfer`, `subscribeStream`, …). Every answer is checked against the API's schema before an
 * action returns it: a node (or anything answering in its place) that says something else is a
 * `NodeUnavailableError`, never a wrong balance.
 *
 * @example
 * const node = createNodeClient({ transport: http("http://127.0.0.1:8787") });
 * const { indexedBlock } = await getStatus(node);
 */
export function createNodeClient({ transport }: CreateNodeClientParameters): NodeClient {
  return {
    transport,
    async request({ schema, ...request }) {
      const json = await transport.request(request);
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue === undefined || issue.path.length === 0 ? "the body" : issue.path.join(".");
        throw new NodeUnavailableError(
          `the node's answer to ${request.method} ${request.path} is not what the API says`,
          { details: `${where}: ${issue?.message ?? "invalid"}` },
        );
      }
      return parsed.data;
    },
  };
}
