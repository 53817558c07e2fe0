// The hub's signature checks, in a worker thread (see verifier.ts): recovering a secp256k1 signer costs
// most of a millisecond, which on the hub's own thread would hold up every delivery behind it.
import { parentPort } from "node:worker_threads";
import { ChatProtocolError } from "../../protocol/chat/errors.ts";
import { verifyEnvelope } from "../../protocol/chat/sign.ts";
import { verifyChatSignIn } from "../../protocol/chat/siwe.ts";
import type { VerifyRequest, VerifyResponse } from "./verifier.ts";

parentPort?.on("message", async ({ id, task }: VerifyRequest) => {
  let response: VerifyResponse;
  try {
    const result =
      task.kind === "envelope"
        ? await verifyEnvelope(task.envelope, task.domain)
        : await verifyChatSignIn(task.parameters);
    response = { id, ok: true, result };
  } catch (error) {
    response =
      error instanceof ChatProtocolError
        ? { id, ok: false, code: error.code, message: error.shortMessage, hint: error.hint }
        : { id, ok: false, code: "INTERNAL", message: String((error as Error)?.message ?? error), hint: undefined };
  }
  parentPort?.postMessage(response);
});
