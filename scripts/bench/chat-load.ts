// The load generator of `npm run bench:chat`, forked by chat.ts so that its clients do not share a process
// with the hub: opens CLIENTS WebSocket connections to the hub's /v1/chat, signs every one in (SIWE),
// puts them in groups (the first member of each creates it), then runs phases in which SENDERS members
// each post one signed text message a second into their group, at random phases. Every member receives
// every message of its group; each delivery's latency is the time from the sender's `send` (signing done)
// to the frame arriving, both measured in this process with one clock. Prints nothing; sends its result
// to the parent (`process.send`).
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { WebSocket } from "ws";
import type { Envelope } from "../../protocol/chat/envelope.ts";
import { signEnvelope } from "../../protocol/chat/sign.ts";
import { checkSignInChallenge, createChatSignIn } from "../../protocol/chat/siwe.ts";
import { percentile } from "./report.ts";

export interface ChatLoadConfig {
  wsUrl: string;
  chainId: number;
  escrow: `0x${string}`;
  clients: number;
  groupSize: number;
  /** Senders per phase (each posts one message a second). */
  phases: number[];
  phaseSeconds: number;
}

export interface ChatPhaseResult {
  senders: number;
  sent: number;
  /** Deliveries to members other than the sender, in the phase (and its drain). */
  delivered: number;
  expected: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  /** How long after the phase the last deliveries took. */
  drainSeconds: number;
}

export type ChatLoadMessage =
  | { type: "ready"; signInSeconds: number; groups: number }
  | { type: "phase"; result: ChatPhaseResult }
  | { type: "done" }
  | { type: "error"; message: string };

interface Client {
  account: PrivateKeyAccount;
  socket: WebSocket;
  group: `0x${string}` | undefined;
  waiters: Map<string, (frame: Frame) => void>;
}
/** A message signed ahead, and its number in the text. */
type Signed = { n: number; envelope: Envelope };
type Frame = { type: string; ref?: string; [key: string]: unknown };

const config = JSON.parse(process.argv[2] as string) as ChatLoadConfig;
const domain = { chainId: config.chainId, escrow: config.escrow };
/** Each message's text is MARK and its number: when it was sent (performance.now()) and by whom. */
const MARK = Buffer.from('"text":"bench message ');
const MESSAGE_PREFIX = Buffer.from('{"type":"message"');
const QUOTE = 0x22;
const sentAt = new Map<number, { at: number; by: Client }>();
let counter = 0;
let latencies: number[] = [];
let delivered = 0;
let refs = 0;

function account(i: number): PrivateKeyAccount {
  return privateKeyToAccount(`0x${(i + 1).toString(16).padStart(64, "0")}` as `0x${string}`);
}

async function connect(signer: PrivateKeyAccount): Promise<Client> {
  // The hub's frames are checked by the hub's own tests; here their UTF-8 check would only be CPU taken
  // from the hub, which shares the machine.
  const socket = new WebSocket(config.wsUrl, { maxPayload: 1024 * 1024, skipUTF8Validation: true });
  const client: Client = { account: signer, socket, group: undefined, waiters: new Map() };
  socket.on("message", (data: Buffer) => {
    // Message frames, nearly all of them, are timed from their bytes, without a string or a JSON.parse:
    // the load generator shares the machine with the hub, and what it spends is not the hub's to count.
    if (data.subarray(0, MESSAGE_PREFIX.length).equals(MESSAGE_PREFIX)) {
      const start = data.indexOf(MARK) + MARK.length;
      const sent = sentAt.get(Number(data.toString("latin1", start, data.indexOf(QUOTE, start))));
      if (sent !== undefined && sent.by !== client) {
        latencies.push(performance.now() - sent.at);
        delivered++;
      }
      return;
    }
    const frame = JSON.parse(data.toString()) as Frame;
    if (frame.type === "group") client.group = (frame.group as { id: `0x${string}` }).id;
    const waiter = frame.ref === undefined ? undefined : client.waiters.get(frame.ref);
    if (waiter !== undefined) {
      client.waiters.delete(frame.ref as string);
      waiter(frame);
    }
  });
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  const challenge = await request(client, { op: "challenge" });
  checkSignInChallenge(challenge as never, { url: config.wsUrl, chainId: config.chainId });
  const message = createChatSignIn({ address: signer.address, challenge: challenge as never });
  const welcome = await request(client, { op: "signin", message, signature: await signer.signMessage({ message }) });
  if (welcome.type !== "welcome") throw new Error(`sign-in refused: ${JSON.stringify(welcome)}`);
  return client;
}

function request(client: Client, frame: Record<string, unknown>): Promise<Frame> {
  const ref = `r${++refs}`;
  return new Promise((resolve) => {
    client.waiters.set(ref, resolve);
    client.socket.send(JSON.stringify({ ...frame, ref }));
  });
}

/** A sender's messages of a phase, signed before it starts: signing is the client's cost, not the hub's. */
async function presign(client: Client, count: number): Promise<Signed[]> {
  const signed: Signed[] = [];
  for (let i = 0; i < count; i++) {
    const n = ++counter;
    const draft = {
      to: { type: "group", id: client.group as `0x${string}` },
      body: { type: "text", text: `bench message ${n}` },
    } as const;
    signed.push({ n, envelope: await signEnvelope(client.account, draft, domain) });
  }
  return signed;
}

async function post(client: Client, { n, envelope }: Signed) {
  sentAt.set(n, { at: performance.now(), by: client });
  const answer = await request(client, { op: "send", envelope });
  if (answer.type !== "sent") throw new Error(`send refused: ${JSON.stringify(answer)}`);
}

async function phase(clients: Client[], senders: number): Promise<ChatPhaseResult> {
  latencies = [];
  delivered = 0;
  sentAt.clear();
  // Senders spread over the groups: member 1, 2, … of each group in turn (member 0 created it).
  const groups = Math.ceil(clients.length / config.groupSize);
  const chosen: Client[] = [];
  for (let i = 0; chosen.length < senders; i++) {
    const client = clients[(i % groups) * config.groupSize + 1 + Math.floor(i / groups)];
    if (client === undefined) throw new Error(`not enough members for ${senders} senders`);
    chosen.push(client);
  }
  const members = (client: Client) =>
    clients.filter((other) => other.group === client.group && other !== client).length;
  const audience = new Map(chosen.map((client) => [client, members(client)]));
  // One message a second, and one more: the random first tick can make a phase hold phaseSeconds + 1.
  const queues = new Map<Client, Signed[]>();
  for (const client of chosen) queues.set(client, await presign(client, config.phaseSeconds + 1));
  let sent = 0;
  let expected = 0;
  const failures: unknown[] = [];
  const started = performance.now();
  const timers = chosen.map((client) => {
    const tick = () => {
      const next = queues.get(client)?.shift();
      if (next === undefined || performance.now() - started >= config.phaseSeconds * 1000) return;
      sent++;
      expected += audience.get(client) as number;
      post(client, next).catch((error: unknown) => failures.push(error));
    };
    // A random phase within the first second, then one a second.
    const first = setTimeout(() => {
      tick();
      timers.push(setInterval(tick, 1000));
    }, Math.random() * 1000);
    return first;
  });
  await new Promise((resolve) => setTimeout(resolve, config.phaseSeconds * 1000));
  for (const timer of timers) clearTimeout(timer);
  for (const timer of timers) clearInterval(timer);
  // Wait for the last messages to arrive (at most 5 s).
  const drainUntil = performance.now() + 5_000;
  while (delivered < expected && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - started) / 1000;
  if (failures.length > 0) throw failures[0];
  return {
    senders,
    sent,
    delivered,
    expected,
    // Deliveries over the phase and its drain: a hub that falls behind is not credited with the offered rate.
    seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.reduce((a, b) => Math.max(a, b), 0),
    drainSeconds: seconds - config.phaseSeconds,
  };
}

async function main() {
  const started = performance.now();
  const clients: Client[] = [];
  // Sign-ins in waves of 50: the hub verifies each SIWE signature.
  for (let i = 0; i < config.clients; i += 50) {
    const wave = Array.from({ length: Math.min(50, config.clients - i) }, (_, k) => connect(account(i + k)));
    clients.push(...(await Promise.all(wave)));
  }
  const signInSeconds = (performance.now() - started) / 1000;
  for (let g = 0; g * config.groupSize < clients.length; g++) {
    const members = clients.slice(g * config.groupSize, (g + 1) * config.groupSize);
    const [creator, ...others] = members as [Client, ...Client[]];
    const created = await request(creator, {
      op: "group.create",
      name: `bench ${g}`,
      members: others.map((client) => client.account.address),
    });
    if (created.type !== "created") throw new Error(`group refused: ${JSON.stringify(created)}`);
  }
  const deadline = performance.now() + 10_000;
  while (clients.some((client) => client.group === undefined)) {
    if (performance.now() > deadline) throw new Error("not every client heard of its group");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  process.send?.({
    type: "ready",
    signInSeconds,
    groups: Math.ceil(clients.length / config.groupSize),
  } satisfies ChatLoadMessage);
  for (const senders of config.phases) {
    process.send?.({ type: "phase", result: await phase(clients, senders) } satisfies ChatLoadMessage);
  }
  for (const client of clients) client.socket.close();
  process.send?.({ type: "done" } satisfies ChatLoadMessage);
}

main().then(
  () => process.disconnect?.(),
  (error: unknown) => {
    process.send?.({ type: "error", message: String((error as Error)?.stack ?? error) } satisfies ChatLoadMessage);
    process.exitCode = 1;
    process.disconnect?.();
  },
);
