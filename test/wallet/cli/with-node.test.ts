// `gram` against a real `gram-node`: reads from the node's API (`balance --node`, `history --node`),
// gasless sends and invoice payments through the node's relayer, and the escrow paths after payment
// (dispute → resolve, confirm, reclaim), `invoice cancel`, `pay --permit` and `tx speed-up / cancel`,
// each as a child process with exact balances on the chain.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Address, formatUnits, type Hash, parseUnits } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import { killAll, type NodeProcess } from "../../../scripts/lib/spawn-gram-node.ts";
import { localAccount, privateKeyOf, ROLE } from "../../kit/accounts.ts";
import {
  type CliChain,
  jsonOf,
  keyMaterialLeaks,
  SECRETS,
  startCliChain,
  startRelayingNode,
} from "../../kit/cli-chain.ts";

let chain: CliChain;
let node: NodeProcess;
let served: Awaited<ReturnType<typeof startRelayingNode>>;
let nodeUrl: string;
let payerHome: string;
let merchantHome: string;
let arbiterHome: string;
const payer = localAccount(ROLE.payer).address;
const merchant = localAccount(ROLE.merchant).address;
const other = localAccount(ROLE.other).address;
const GRAM = (text: string) => parseUnits(text, 9);
/** Hardhat account 6 (funded, used by nobody else here) is the node's relayer. */
const relayerHd = localAccount(ROLE.relayer);
const relayerKey = privateKeyOf(ROLE.relayer);

beforeAll(async () => {
  chain = await startCliChain();
  payerHome = await chain.homeWith(ROLE.payer);
  merchantHome = await chain.homeWith(ROLE.merchant);
  arbiterHome = await chain.homeWith(ROLE.arbiter);
  served = await startRelayingNode(chain);
  node = served.node;
  nodeUrl = served.url;
  expect(node.records().find((record) => record.msg === "serving")).toMatchObject({
    relayer: relayerHd.address,
  });
  await synced();
}, 120_000);
afterAll(async () => {
  await served?.stop();
  killAll();
  await chain?.close();
});

/** Waits until the node has indexed the chain's head block. */
const synced = () => served.synced();

const signing = () => ["--password-file", chain.passwordFile, "--yes"];
const viaNode = () => ["--node", nodeUrl];
const eth = (address: Address) => chain.client.getBalance({ address });
const escrowBalanceOf = (who: Address) =>
  chain.client.readContract({
    address: chain.escrow,
    abi: merchantEscrowAbi,
    functionName: "balanceOf",
    args: [who, chain.token],
  });

/** The merchant creates an invoice of `amount` for the payer; its link and id. */
async function invoice(amount: string, title: string, more: string[] = []) {
  const created = jsonOf(
    await chain.gram(
      ["invoice", "create", amount, "--title", title, "--payer", payer, "--json", ...more, ...signing()],
      { home: merchantHome },
    ),
  );
  expect(created, JSON.stringify(created)).toMatchObject({ ok: true });
  return { link: created.link as string, id: created.id as string };
}

describe("reads from the node", () => {
  it("balance --node equals balanceOf on the chain, as text and as JSON", async () => {
    const onChain = await chain.balanceOf(payer);
    const text = await chain.gram(["balance", ...viaNode()], { home: payerHome });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe("1000 GRAM\n");
    expect(onChain).toBe(GRAM("1000"));

    const json = jsonOf(await chain.gram(["balance", "--json", ...viaNode()], { home: payerHome }));
    const head = Number(await chain.client.getBlockNumber());
    expect(json).toEqual({
      ok: true,
      command: "balance",
      address: payer,
      source: "node",
      chainId: chain.chainId,
      block: head,
      // The node's default depth is 2 confirmations; the funding is older than that.
      confirmedBlock: head - 1,
      balances: [
        {
          token: chain.token,
          symbol: "GRAM",
          decimals: 9,
          units: onChain.toString(),
          formatted: "1000",
          confirmedUnits: onChain.toString(),
          confirmedFormatted: "1000",
        },
      ],
    });

    // --of another address, and GRAM_NODE instead of --node.
    const ofOther = jsonOf(
      await chain.gram(["balance", "--of", other, "--json"], { home: payerHome, env: { GRAM_NODE: nodeUrl } }),
    );
    expect(ofOther).toMatchObject({ source: "node", address: other, balances: [{ units: GRAM("1000").toString() }] });
  });

  it("history --node lists transfers newest first, in whole tokens", async () => {
    expect((await chain.gram(["contacts", "add", "bob", other], { home: payerHome })).code).toBe(0);
    const first = jsonOf(await chain.gram(["send", "@bob", "3", "--json", ...signing()], { home: payerHome }));
    const second = jsonOf(await chain.gram(["send", "@bob", "1.25", "--json", ...signing()], { home: payerHome }));
    expect([first.ok, second.ok]).toEqual([true, true]);
    await synced();

    const json = jsonOf(await chain.gram(["history", "--json", ...viaNode()], { home: payerHome }));
    expect(json).toMatchObject({ ok: true, command: "history", address: payer, source: "node" });
    const entries = json.entries as { type: string; direction: string; amount: string; tx: string; block: number }[];
    expect(entries.slice(0, 2)).toEqual([
      expect.objectContaining({
        type: "transfer",
        direction: "out",
        counterparty: other,
        amount: "1.25",
        symbol: "GRAM",
        tx: second.hash,
      }),
      expect.objectContaining({ type: "transfer", direction: "out", amount: "3", tx: first.hash }),
    ]);
    expect(entries[0]?.block).toBeGreaterThan(entries[1]?.block as number);
    // The mint is the oldest entry.
    expect(entries.at(-1)).toMatchObject({ type: "transfer", direction: "in", amount: "1000" });

    const limited = jsonOf(await chain.gram(["history", "--limit", "1", "--json", ...viaNode()], { home: payerHome }));
    expect((limited.entries as unknown[]).length).toBe(1);
    const csv = await chain.gram(["history", "--csv", ...viaNode()], { home: payerHome });
    expect(csv.stdout.split("\n")[1]).toContain(`,transfer,out,${other},1.25,GRAM,${second.hash},`);

    const balance = jsonOf(await chain.gram(["balance", "--json", ...viaNode()], { home: payerHome }));
    expect((balance.balances as { units: string }[])[0]?.units).toBe((await chain.balanceOf(payer)).toString());
  });

  it("--node reads pick the account as every other command does: --account n, a damaged keystore, none", async () => {
    const home = join(chain.temp, "two-accounts");
    expect((await chain.gram(["init", "--password-file", chain.passwordFile], { home })).code).toBe(0);
    expect((await chain.gram(["accounts", "--add", "--password-file", chain.passwordFile], { home })).code).toBe(0);
    const read = async (...args: string[]) =>
      jsonOf(await chain.gram(["balance", "--json", ...args, ...viaNode()], { home })).address;
    for (const n of ["0", "1"]) {
      const address = (await chain.gram(["address", "--account", n], { home })).stdout.trim();
      expect(await read("--account", n)).toBe(address);
      expect(await read("--account", address.toLowerCase())).toBe(address);
    }
    const first = (await chain.gram(["address"], { home })).stdout.trim();
    expect(await read()).toBe(first);
    const missing = jsonOf(await chain.gram(["balance", "--account", "2", "--json", ...viaNode()], { home }));
    expect(missing).toMatchObject({
      ok: false,
      error: { code: "NO_ACCOUNT", message: expect.stringContaining("there are 2 accounts") },
    });

    // A damaged keystore: the reads take the full path, warn, and still read account 0.
    await writeFile(join(home, "keystore", "0xdamaged.json"), "{");
    const warned = await chain.gram(["balance", ...viaNode()], { home });
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toContain("warning:");
    expect(warned.stdout).toBe("0 GRAM\n");
    expect(await read()).toBe(first);
  });

  it("a node that cannot be reached is a failure (exit 2), and names the node", async () => {
    const down = await chain.gram(["balance", "--json", "--node", "http://127.0.0.1:9"], { home: payerHome });
    expect(down.code).toBe(2);
    expect(jsonOf(down)).toMatchObject({ ok: false, error: { message: expect.stringContaining("127.0.0.1:9") } });
  });
});

describe("gasless through the node's relayer", () => {
  it("send --gasless: bob gets 2 GRAM, the payer pays no gas, the relayer does", async () => {
    const [payerEth, relayerEth, bobBefore, payerBefore] = await Promise.all([
      eth(payer),
      eth(relayerHd.address),
      chain.balanceOf(other),
      chain.balanceOf(payer),
    ]);
    const run = await chain.gram(["send", "@bob", "2", "--gasless", ...signing(), ...viaNode()], {
      home: payerHome,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^sent 2 GRAM to 0x[0-9a-fA-F]{40} \(gasless\)\ntx 0x[0-9a-f]{64} success\n$/);
    expect(await chain.balanceOf(other)).toBe(bobBefore + GRAM("2"));
    expect(await chain.balanceOf(payer)).toBe(payerBefore - GRAM("2"));
    expect(await eth(payer)).toBe(payerEth);
    expect(await eth(relayerHd.address)).toBeLessThan(relayerEth);

    const hash = /tx (0x[0-9a-f]{64})/.exec(run.stdout)?.[1] as Hash;
    const tx = await chain.client.getTransaction({ hash });
    expect(tx.from.toLowerCase()).toBe(relayerHd.address.toLowerCase());

    // The node indexes it like any transfer.
    await synced();
    const history = jsonOf(await chain.gram(["history", "--limit", "2", "--json", ...viaNode()], { home: payerHome }));
    // The transfer, and the authorization it used: a row without an amount, so without a unit.
    expect(history.entries).toEqual([
      expect.objectContaining({ direction: "out", amount: "2", symbol: "GRAM", tx: hash }),
      expect.objectContaining({ type: "authorization", direction: "used", amount: "", symbol: "", tx: hash }),
    ]);

    // In the head block it is pending for bob (1 confirmation of the node's 2); one block later, confirmed.
    const bobsBalance = async () =>
      (await chain.gram(["balance", "--of", other, ...viaNode()], { home: payerHome })).stdout;
    const whole = (units: bigint) => formatUnits(units, 9);
    expect(await bobsBalance()).toBe(`${whole(bobBefore + GRAM("2"))} GRAM (${whole(bobBefore)} confirmed)\n`);
    await chain.rpc("evm_mine");
    await synced();
    expect(await bobsBalance()).toBe(`${whole(bobBefore + GRAM("2"))} GRAM\n`);
  });

  it("send --gasless without a node says so, and signs nothing", async () => {
    const run = await chain.gram(["send", "@bob", "2", "--gasless", "--json", ...signing()], { home: payerHome });
    expect(run.code).toBe(1);
    expect(jsonOf(run)).toMatchObject({
      ok: false,
      error: { code: "NO_NODE", message: "--gasless needs a gram node" },
    });
  });

  it("pay <invoice> --gasless: the escrow holds it, paid by the relayer; then dispute → resolve by the arbiter", async () => {
    const { link, id } = await invoice("10", "Gasless pizza", ["--max-tip", "2"]);
    const [payerEth, payerBefore] = await Promise.all([eth(payer), chain.balanceOf(payer)]);
    const paid = await chain.gram(["pay", link, "--tip", "1", "--gasless", ...signing(), ...viaNode()], {
      home: payerHome,
    });
    expect(paid.code, paid.stderr).toBe(0);
    expect(paid.stderr).toContain("Invoice: Gasless pizza");
    expect(paid.stdout).toContain(`paid invoice ${id} (gasless)`);
    // The tip goes to the merchant at once; the amount is held.
    expect(await chain.balanceOf(payer)).toBe(payerBefore - GRAM("11"));
    expect(await chain.balanceOf(chain.escrow)).toBe(GRAM("10"));
    expect(await eth(payer)).toBe(payerEth);
    const shown = jsonOf(await chain.gram(["invoice", "show", id.slice(0, 10), "--json"], { home: payerHome }));
    expect(shown).toMatchObject({ status: "held", held: "10" });

    // Paying it again: refused before anything is signed.
    const again = await chain.gram(["pay", link, "--gasless", ...signing(), ...viaNode()], { home: payerHome });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("the invoice was already paid or canceled by the merchant");

    const disputed = await chain.gram(["dispute", id.slice(0, 10), ...signing()], { home: payerHome });
    expect(disputed.code, disputed.stderr).toBe(0);
    expect(disputed.stdout).toMatch(/^dispute: tx 0x[0-9a-f]{64} success in block \d+\n$/);

    // The merchant cannot capture a disputed payment.
    const capture = await chain.gram(["capture", id, "5", ...signing()], { home: merchantHome });
    expect(capture.code).toBe(1);
    expect(capture.stderr).toContain(`capture would revert: EscrowDisputed(${id})`);

    // Only the arbiter resolves; it keeps no invoices, so it names the invoice by its link.
    const notArbiter = await chain.gram(["resolve", link, "4", ...signing()], { home: payerHome });
    expect(notArbiter.code).toBe(1);
    expect(notArbiter.stderr).toContain(`resolve would revert: EscrowNotArbiter(${payer}`);
    const merchantHeld = await escrowBalanceOf(merchant);
    const payerMid = await chain.balanceOf(payer);
    const resolved = await chain.gram(["resolve", link, "4", ...signing()], { home: arbiterHome });
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(await chain.balanceOf(payer)).toBe(payerMid + GRAM("4"));
    expect(await escrowBalanceOf(merchant)).toBe(merchantHeld + GRAM("6"));
    expect(await chain.balanceOf(chain.escrow)).toBe(merchantHeld + GRAM("6"));
  });
});

describe("after payment: confirm, reclaim; before: cancel", () => {
  it("pay --permit in one transaction, then confirm releases everything to the merchant", async () => {
    const { link, id } = await invoice("7", "Permit pasta");
    const payerBefore = await chain.balanceOf(payer);
    const escrowBefore = await chain.balanceOf(chain.escrow);
    const paid = jsonOf(await chain.gram(["pay", link, "--permit", "--json", ...signing()], { home: payerHome }));
    expect(paid).toMatchObject({ ok: true, method: "permit", approval: null, status: "success" });
    expect(await chain.balanceOf(payer)).toBe(payerBefore - GRAM("7"));
    expect(await chain.balanceOf(chain.escrow)).toBe(escrowBefore + GRAM("7"));

    const merchantHeld = await escrowBalanceOf(merchant);
    const confirmed = await chain.gram(["confirm", id.slice(0, 10), ...signing()], { home: payerHome });
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(await escrowBalanceOf(merchant)).toBe(merchantHeld + GRAM("7"));
    expect(await chain.balanceOf(payer)).toBe(payerBefore - GRAM("7"));
    const shown = jsonOf(await chain.gram(["invoice", "show", id.slice(0, 10), "--json"], { home: payerHome }));
    expect(shown).toMatchObject({ held: "0" });
  });

  it("reclaim: refused before the capture deadline, and returns everything held after it", async () => {
    const { link, id } = await invoice("9", "Late lasagna", ["--expires", "1h", "--capture-within", "1d"]);
    const payerBefore = await chain.balanceOf(payer);
    const paid = await chain.gram(["pay", link, ...signing()], { home: payerHome });
    expect(paid.code, paid.stderr).toBe(0);
    expect(await chain.balanceOf(payer)).toBe(payerBefore - GRAM("9"));

    const early = await chain.gram(["reclaim", id.slice(0, 10), ...signing()], { home: payerHome });
    expect(early.code).toBe(1);
    expect(early.stderr).toContain("reclaim would revert: EscrowBeforeReclaim(");
    expect(await chain.balanceOf(payer)).toBe(payerBefore - GRAM("9"));

    // Past payBefore (1h) + capture window (1d).
    await chain.rpc("evm_increaseTime", [3600 + 86_400 + 60]);
    await chain.rpc("evm_mine");
    const escrowBefore = await chain.balanceOf(chain.escrow);
    const reclaimed = await chain.gram(["reclaim", id.slice(0, 10), ...signing()], { home: payerHome });
    expect(reclaimed.code, reclaimed.stderr).toBe(0);
    expect(await chain.balanceOf(payer)).toBe(payerBefore);
    expect(await chain.balanceOf(chain.escrow)).toBe(escrowBefore - GRAM("9"));
  });

  it("invoice cancel makes the link unpayable: pay exits 1 with a clear error, nothing moves", async () => {
    const { link, id } = await invoice("4", "Never mind");
    const canceled = await chain.gram(["invoice", "cancel", id.slice(0, 10), ...signing()], { home: merchantHome });
    expect(canceled.code, canceled.stderr).toBe(0);
    const payerBefore = await chain.balanceOf(payer);
    const run = await chain.gram(["pay", link, ...signing()], { home: payerHome });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("gram: the invoice was already paid or canceled by the merchant\n");
    expect(run.stderr).toContain("code: INVALID_INVOICE");
    const json = jsonOf(
      await chain.gram(["pay", link, "--gasless", "--json", ...signing(), ...viaNode()], { home: payerHome }),
    );
    expect(json).toMatchObject({ ok: false, error: { code: "INVALID_INVOICE" } });
    expect(await chain.balanceOf(payer)).toBe(payerBefore);
  });
});

describe("tx speed-up and tx cancel", () => {
  /** A token transfer from the payer, sent outside the CLI while blocks are not mined: pending. */
  async function pendingTransfer(amount: string): Promise<Hash> {
    const { createWalletClient, http } = await import("viem");
    const { gramTokenAbi } = await import("../../../protocol/abis.ts");
    const wallet = createWalletClient({ account: localAccount(ROLE.payer), transport: http(chain.url) });
    return wallet.writeContract({
      chain: null,
      address: chain.token,
      abi: gramTokenAbi,
      functionName: "transfer",
      args: [other, GRAM(amount)],
    });
  }
  const receiptOf = (hash: Hash) => chain.client.getTransactionReceipt({ hash }).catch(() => undefined);

  it("speed-up replaces a pending transfer (same nonce, higher fees); cancel replaces one with nothing", async () => {
    await chain.rpc("evm_setAutomine", [false]);
    try {
      const bobBefore = await chain.balanceOf(other);
      const slow = await pendingTransfer("1");
      const pending = await chain.client.getTransaction({ hash: slow });
      const sped = jsonOf(await chain.gram(["tx", "speed-up", slow, "--json", ...signing()], { home: payerHome }));
      expect(sped).toMatchObject({ ok: true, command: "tx speed-up", replaced: slow, nonce: pending.nonce });
      const fast = sped.hash as Hash;
      expect(fast).not.toBe(slow);
      const replacement = await chain.client.getTransaction({ hash: fast });
      expect(replacement.input).toBe(pending.input);
      expect(replacement.maxFeePerGas).toBeGreaterThanOrEqual(((pending.maxFeePerGas as bigint) * 110n) / 100n);
      await chain.rpc("evm_mine");
      expect((await receiptOf(fast))?.status).toBe("success");
      expect(await receiptOf(slow)).toBeUndefined();
      expect(await chain.balanceOf(other)).toBe(bobBefore + GRAM("1"));

      // A mined transaction cannot be replaced.
      const mined = await chain.gram(["tx", "speed-up", fast, ...signing()], { home: payerHome });
      expect(mined.code).toBe(1);
      expect(mined.stderr).toContain(`transaction ${fast} is already mined`);

      const unwanted = await pendingTransfer("5");
      const canceled = jsonOf(
        await chain.gram(["tx", "cancel", unwanted, "--json", ...signing()], { home: payerHome }),
      );
      expect(canceled).toMatchObject({ ok: true, command: "tx cancel", replaced: unwanted });
      await chain.rpc("evm_mine");
      const cancel = await chain.client.getTransaction({ hash: canceled.hash as Hash });
      expect({ to: cancel.to?.toLowerCase(), value: cancel.value }).toEqual({ to: payer.toLowerCase(), value: 0n });
      expect((await receiptOf(canceled.hash as Hash))?.status).toBe("success");
      expect(await receiptOf(unwanted)).toBeUndefined();
      expect(await chain.balanceOf(other)).toBe(bobBefore + GRAM("1"));
    } finally {
      await chain.rpc("evm_setAutomine", [true]);
    }
  });
});

describe("what is printed", () => {
  it("no private key, mnemonic or password in any output", () => {
    expect(keyMaterialLeaks([...SECRETS, relayerKey.slice(2)])).toEqual([]);
  });
});
