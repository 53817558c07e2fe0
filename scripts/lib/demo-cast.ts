// The people of the demo, each as their own wallet would be: alice, bob and the merchant with an unlocked
// key, a GramClient on the chain and a signed-in chat connection that verifies what arrives; the arbiter
// with a key and a client (it never chats). Their keys come from the demo wallet `npm start` writes
// (keystores and contacts named alice, bob, merchant, arbiter) and stay in memory: nothing prints them.
import { type Address, createPublicClient, createWalletClient, type Hex, http, isAddressEqual } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { merchantEscrowAbi } from "../../protocol/abis.ts";
import { type Deployment, loadDeployment } from "../../protocol/deployments.ts";
import { createGramClient, type GramClient, requireAccount } from "../../wallet/actions/client.ts";
import { type ReadTokenInfoReturnType, readTokenInfo } from "../../wallet/actions/readTokenInfo.ts";
import {
  type ChatConnection,
  type ChatMessage,
  connectChat,
  createPaymentTracker,
  type PaymentTracker,
  type PaymentVerification,
} from "../../wallet/chat/index.ts";
import { resolveRecipient } from "../../wallet/contacts/resolveRecipient.ts";
import { unlockAccount } from "../../wallet/keys/unlockAccount.ts";
import type { Endpoints } from "./demo-stack.ts";

const PEOPLE = ["alice", "bob", "merchant", "arbiter"] as const;
type Name = (typeof PEOPLE)[number];

export interface Person {
  name: Name;
  address: Address;
  client: GramClient;
}

export interface Chatter extends Person {
  chat: ChatConnection;
  /** Verifications of payment messages, as the person's chat client keeps them. */
  payments: PaymentTracker;
  /** The verified message `id` once the hub has delivered it to this person. */
  received(id: Hex): Promise<ChatMessage>;
}

export interface Cast {
  alice: Chatter;
  bob: Chatter;
  merchant: Chatter;
  arbiter: Person;
  /** Where the escrow sends its fees; read from the escrow. */
  treasury: Address;
  token: ReadTokenInfoReturnType;
  /** The escrow's withdrawal fee, fixed at its deployment. */
  withdrawFeeBps: bigint;
  deployment: Deployment;
  close(): Promise<void>;
}

export interface OpenCastParameters {
  endpoints: Endpoints;
  password: string;
  /** How long a chat message may take to arrive, or a payment to be confirmed, before the demo gives up. */
  timeoutMs: number;
}

/**
 * Unlocks the four demo accounts, checks the escrow's arbiter is the wallet's, and signs alice, bob and the
 * merchant in to the node's chat hub before anyone sends anything, so that no message waits for a reader.
 *
 * @example
 * const cast = await openCast({ endpoints, password: "gram-demo", timeoutMs: 20_000 });
 */
export async function openCast({ endpoints, password, timeoutMs }: OpenCastParameters): Promise<Cast> {
  const publicClient = createPublicClient({ transport: http(endpoints.rpc), pollingInterval: 100 });
  let chainId: number;
  try {
    chainId = await publicClient.getChainId();
  } catch (cause) {
    throw new Error(`could not reach the chain at ${endpoints.rpc}; expected a running chain (npm start)`, { cause });
  }
  const deployment = await loadDeployment(chainId, endpoints.deployments);
  const contracts = {
    token: deployment.contracts.GramToken.address,
    escrow: deployment.contracts.MerchantEscrow.address,
  };
  const person = async (name: Name): Promise<Person> => {
    const address = await accountNamed(endpoints.home, name);
    const { privateKey } = await unlockAccount({ home: endpoints.home, address, password });
    const account = privateKeyToAccount(privateKey);
    const walletClient = createWalletClient({ account, transport: http(endpoints.rpc) });
    const client = await createGramClient({ publicClient, walletClient, chainId, contracts, home: endpoints.home });
    return { name, address, client };
  };
  const [alice, bob, merchant, arbiter] = await Promise.all(PEOPLE.map(person));
  if (alice === undefined || bob === undefined || merchant === undefined || arbiter === undefined) {
    throw new Error("internal error: a demo account is missing");
  }

  const escrow = { address: contracts.escrow, abi: merchantEscrowAbi } as const;
  const [escrowArbiter, treasury, withdrawFeeBps] = await Promise.all([
    publicClient.readContract({ ...escrow, functionName: "arbiter" }),
    publicClient.readContract({ ...escrow, functionName: "treasury" }),
    publicClient.readContract({ ...escrow, functionName: "withdrawFeeBps" }),
  ]);
  if (!isAddressEqual(escrowArbiter, arbiter.address)) {
    throw new Error(
      `the escrow's arbiter is ${escrowArbiter}, but the wallet's arbiter is ${arbiter.address}; expected the demo wallet of the stack that deployed this escrow`,
    );
  }
  if ([alice, bob, merchant, arbiter].some((who) => isAddressEqual(who.address, treasury))) {
    throw new Error(`the escrow's treasury ${treasury} is one of the demo accounts; expected an account of its own`);
  }

  const fromBlock = BigInt(deployment.deployBlock);
  const chatters = await Promise.all(
    [alice, bob, merchant].map((who) => openChat(who, { node: endpoints.node, fromBlock, timeoutMs })),
  );
  const close = async () => {
    await Promise.all(chatters.map((who) => who.chat.close()));
  };
  const [aliceChat, bobChat, merchantChat] = chatters as [Chatter, Chatter, Chatter];
  return {
    alice: aliceChat,
    bob: bobChat,
    merchant: merchantChat,
    arbiter,
    treasury,
    token: await readTokenInfo(alice.client),
    withdrawFeeBps,
    deployment,
    close,
  };
}

/** The wallet's account of that name: a contact whose keystore the wallet holds (unlocking checks that). */
async function accountNamed(home: string, name: Name): Promise<Address> {
  try {
    return (await resolveRecipient({ home, recipient: `@${name}` })).address;
  } catch (cause) {
    throw new Error(
      `${home}: no account named ${name}; expected the demo wallet npm start writes (accounts alice, bob, merchant, arbiter)`,
      { cause },
    );
  }
}

/**
 * Signs `who` in to the hub. The chat state lives in memory only: on a stack the user already plays with,
 * the demo neither moves the cursor of their `gram chat` nor acks anything for them.
 */
async function openChat(
  who: Person,
  { node, fromBlock, timeoutMs }: { node: string; fromBlock: bigint; timeoutMs: number },
): Promise<Chatter> {
  const arrived = new Map<Hex, ChatMessage>();
  const rejected = new Map<Hex, string>();
  const wakeUps = new Set<() => void>();
  const chat = await connectChat({
    url: node,
    account: requireAccount(who.client),
    chainId: who.client.chainId,
    escrow: who.client.contracts.escrow,
    onEvent: (event) => {
      if (event.type === "message") arrived.set(event.message.envelope.id, event.message);
      if (event.type === "rejected" && event.rejection.id !== undefined) {
        rejected.set(event.rejection.id, `${event.rejection.code}: ${event.rejection.reason}`);
      }
      for (const wake of wakeUps) wake();
    },
  });
  const received = (id: Hex) =>
    new Promise<ChatMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        wakeUps.delete(check);
        reject(new Error(`${who.name}'s chat: message ${id} did not arrive within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      function check() {
        const message = arrived.get(id);
        const refusal = rejected.get(id);
        if (message === undefined && refusal === undefined) return;
        clearTimeout(timer);
        wakeUps.delete(check);
        if (message !== undefined) resolve(message);
        else reject(new Error(`${who.name}'s chat rejected message ${id}: ${refusal}`));
      }
      wakeUps.add(check);
      check();
    });
  const payments = createPaymentTracker({ client: who.client, state: chat.state, fromBlock });
  return { ...who, chat, payments, received };
}

/**
 * Checks a payment message the way the receiver's chat client does, until the chain confirms it: pending
 * while its transaction waits to be mined, an error if the chain says it does not hold.
 */
export async function seeConfirmed(
  who: Chatter,
  message: ChatMessage,
  timeoutMs: number,
): Promise<PaymentVerification> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const verification = await who.payments.check(message);
    if (verification.state === "confirmed") return verification;
    if (verification.state === "unconfirmed") {
      throw new Error(
        `${who.name}'s wallet: payment message ${message.envelope.id} is NOT CONFIRMED: ${verification.reason}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${who.name}'s wallet: payment message ${message.envelope.id} still ${verification.state} after ${timeoutMs / 1000} s (${verification.reason})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
