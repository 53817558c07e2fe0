// Signature checks off the hub's thread: a small pool of worker threads runs `verifyEnvelope` and
// `verifyChatSignIn` (each a secp256k1 recovery and its hashing, ~0.7 ms: protocol/recover.ts), so that
// the thread delivering messages never waits behind one. Results and refusals are the functions' own: a
// refusal comes back as the same `ChatProtocolError` (code, message, hint).
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Envelope } from "../../protocol/chat/envelope.ts";
import { type ChatErrorCode, ChatProtocolError } from "../../protocol/chat/errors.ts";
import type { ChatDomainInfo, VerifiedEnvelope } from "../../protocol/chat/sign.ts";
import type { VerifiedSignIn, VerifyChatSignInParameters } from "../../protocol/chat/siwe.ts";

export type VerifyTask =
  | { kind: "envelope"; envelope: Envelope; domain: ChatDomainInfo }
  | { kind: "signin"; parameters: VerifyChatSignInParameters };
export interface VerifyRequest {
  id: number;
  task: VerifyTask;
}
export type VerifyResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; code: ChatErrorCode; message: string; hint: string | undefined };

export interface Verifier {
  envelope(envelope: Envelope, domain: ChatDomainInfo): Promise<VerifiedEnvelope>;
  signIn(parameters: VerifyChatSignInParameters): Promise<VerifiedSignIn>;
  close(): Promise<void>;
}

/**
 * Starts `size` worker threads (default: one per core but one, at least one, at most four) and hands
 * each check to the one with the fewest in flight.
 *
 * @example
 * const verifier = createVerifier();
 * const { signer } = await verifier.envelope(envelope, { chainId, escrow });
 */
export function createVerifier({ size = Math.min(4, Math.max(1, availableParallelism() - 1)) } = {}): Verifier {
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  let nextId = 1;
  let closed = false;
  const workers = Array.from({ length: size }, () => {
    const worker = new Worker(new URL("./verify-worker.ts", import.meta.url));
    const entry = { worker, inFlight: 0 };
    worker.on("message", (response: VerifyResponse) => {
      entry.inFlight--;
      const waiter = pending.get(response.id);
      pending.delete(response.id);
      if (response.ok) waiter?.resolve(response.result);
      else {
        const hint = response.hint === undefined ? {} : { hint: response.hint };
        waiter?.reject(new ChatProtocolError(response.code, response.message, hint));
      }
    });
    worker.on("error", (error) => {
      // A worker that dies takes its checks with it: they fail as the hub's own error, and can be sent again.
      for (const [id, waiter] of pending) {
        pending.delete(id);
        waiter.reject(new ChatProtocolError("INTERNAL", `signature check failed: ${error.message}`));
      }
    });
    worker.unref();
    return entry;
  });

  function run<T>(task: VerifyTask): Promise<T> {
    if (closed) return Promise.reject(new ChatProtocolError("INTERNAL", "the hub is closing"));
    const entry = workers.reduce((best, candidate) => (candidate.inFlight < best.inFlight ? candidate : best));
    const id = nextId++;
    entry.inFlight++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      entry.worker.postMessage({ id, task } satisfies VerifyRequest);
    });
  }

  return {
    envelope: (envelope, domain) => run({ kind: "envelope", envelope, domain }),
    signIn: (parameters) => run({ kind: "signin", parameters }),
    async close() {
      closed = true;
      await Promise.all(workers.map(({ worker }) => worker.terminate()));
      for (const waiter of pending.values()) waiter.reject(new ChatProtocolError("INTERNAL", "the hub is closing"));
      pending.clear();
    },
  };
}
