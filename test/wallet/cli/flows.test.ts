// Every main path of `gram` as a child process: keys, reads, sends, requests, and an invoice from
// creation through payment (by its link), capture, refund and withdrawal.
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseUnits } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localAccount, privateKeyOf, ROLE } from "../../kit/accounts.ts";
import { type CliChain, jsonOf, keyMaterialLeaks, runs, SECRETS, startCliChain } from "../../kit/cli-chain.ts";

let chain: CliChain;
let payerHome: string;
let merchantHome: string;
const payer = localAccount(ROLE.payer).address;
const merchant = localAccount(ROLE.merchant).address;
const other = localAccount(ROLE.other).address;
const GRAM = (text: string) => parseUnits(text, 9);

beforeAll(async () => {
  chain = await startCliChain();
  payerHome = await chain.homeWith(ROLE.payer);
  merchantHome = await chain.homeWith(ROLE.merchant);
}, 120_000);
afterAll(() => chain?.close());

const signing = () => ["--password-file", chain.passwordFile, "--yes"];

describe("gram keys", () => {
  it("init creates a keystore (0600) and prints the address; the mnemonic only with --show-mnemonic", async () => {
    const home = join(chain.temp, "fresh");
    const run = await chain.gram(["init", "--password-file", chain.passwordFile], { home });
    expect(run.code).toBe(0);
    const address = /created (0x[0-9a-fA-F]{40})/.exec(run.stdout)?.[1];
    expect(address).toBeDefined();
    expect(run.stdout).not.toMatch(/\b([a-z]+ ){11}[a-z]+\b/);
    expect((await stat(join(home, "keystore", `${address}.json`))).mode & 0o777).toBe(0o600);
    const again = await chain.gram(["init", "--password-file", chain.passwordFile], { home });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already holds 1 account");

    const shown = jsonOf(
      await chain.gram(["init", "--show-mnemonic", "--json", "--password-file", chain.passwordFile], {
        home: join(chain.temp, "fresh2"),
      }),
    );
    expect(String(shown.mnemonic).split(" ")).toHaveLength(12);

    const added = await chain.gram(["accounts", "--add", "--password-file", chain.passwordFile], { home });
    expect(added.stdout).toMatch(/added 0x[0-9a-fA-F]{40} \(m\/44'\/60'\/0'\/0\/1\)/);
    const list = jsonOf(await chain.gram(["accounts", "--json"], { home }));
    expect((list.accounts as { number: number; address: string }[]).map((a) => a.number)).toEqual([0, 1]);
    const second = await chain.gram(["address", "--account", "1"], { home });
    const secondAddress = (list.accounts as { address: string }[])[1]?.address as string;
    expect(second.stdout.trim()).toBe(secondAddress);

    // A contact that names one of the wallet's accounts selects it: `--account savings` or `@savings`.
    expect((await chain.gram(["contacts", "add", "savings", secondAddress], { home })).code).toBe(0);
    for (const name of ["savings", "@savings"]) {
      expect((await chain.gram(["address", "--account", name], { home })).stdout.trim()).toBe(secondAddress);
    }
  });

  it("import from a mnemonic file derives the same account as other tools", async () => {
    const home = join(chain.temp, "from-mnemonic");
    const file = join(chain.temp, "words.txt");
    await writeFile(file, "test test test test test test test test test test test junk\n");
    const run = await chain.gram(
      ["import", "--mnemonic-file", file, "--index", "2", "--password-file", chain.passwordFile],
      {
        home,
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`imported ${payer}`);
    expect((await chain.gram(["address"], { home })).stdout.trim()).toBe(payer);
  });

  it("export --reveal prints the key; without --reveal it refuses", async () => {
    const refused = await chain.gram(["export", "--password-file", chain.passwordFile], { home: payerHome });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("pass --reveal");
    const revealed = await chain.gram(["export", "--reveal", "--password-file", chain.passwordFile], {
      home: payerHome,
    });
    expect(revealed.code).toBe(0);
    expect(revealed.stdout).toContain(privateKeyOf(ROLE.payer));
  });
});

describe("gram reads", () => {
  it("balance from the chain, as text and as JSON", async () => {
    const text = await chain.gram(["balance"], { home: payerHome });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^1000 GRAM\n[0-9.]+ ETH \(for gas\)\n$/);
    const json = jsonOf(await chain.gram(["balance", "--json"], { home: payerHome }));
    expect(json).toMatchObject({
      ok: true,
      command: "balance",
      address: payer,
      source: "chain",
      chainId: chain.chainId,
      balances: [
        { token: chain.token, symbol: "GRAM", decimals: 9, units: GRAM("1000").toString(), formatted: "1000" },
      ],
    });
  });
});

describe("gram send and request", () => {
  it("sends to a contact after showing the summary; the chain moves exactly the amount", async () => {
    expect((await chain.gram(["contacts", "add", "bob", other], { home: payerHome })).code).toBe(0);
    const before = await chain.balanceOf(other);
    const run = await chain.gram(["send", "@bob", "12.5", ...signing()], { home: payerHome });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("Transaction: send tokens");
    expect(run.stderr).toContain(`to        ${other} (@bob)`);
    expect(run.stderr).toContain("amount    12.5 GRAM");
    expect(run.stderr).toContain("notice: you have never paid");
    expect(run.stdout).toMatch(/sent 12.5 GRAM to 0x/);
    expect(await chain.balanceOf(other)).toBe(before + GRAM("12.5"));

    const history = await chain.gram(["history", "--csv"], { home: payerHome });
    expect(history.stdout.split("\n")[0]).toBe("time,type,direction,counterparty,amount,symbol,tx,block");
    expect(history.stdout).toContain(`,transfer,out,${other},12.5,GRAM,0x`);
  });

  it("without --yes and without a terminal, nothing is signed", async () => {
    const before = await chain.balanceOf(other);
    const run = await chain.gram(["send", other, "1", "--password-file", chain.passwordFile], { home: payerHome });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("not confirmed; nothing was signed");
    expect(await chain.balanceOf(other)).toBe(before);
  });

  it("a look-alike of a contact blocks even with --yes, and goes with --i-know", async () => {
    // Same first and last 4 hex digits as @bob, different middle.
    const lookAlike = `0x${other.slice(2, 6)}${"0".repeat(32)}${other.slice(-4)}`.toLowerCase();
    const before = await chain.balanceOf(other);
    const blocked = await chain.gram(["send", lookAlike, "1", ...signing()], { home: payerHome });
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/WARNING: 0x[0-9a-fA-F]{40} looks like your contact @bob/);
    expect(blocked.stderr).toContain("blocked:");
    const json = jsonOf(await chain.gram(["send", lookAlike, "1", "--json", ...signing()], { home: payerHome }));
    expect(json).toMatchObject({ ok: false, error: { code: "LOOK_ALIKE" } });
    const sent = await chain.gram(["send", lookAlike, "1", "--i-know", ...signing()], { home: payerHome });
    expect(sent.code, sent.stderr).toBe(0);
    expect(await chain.balanceOf(other)).toBe(before);
  });

  it("request prints a gram:request link, a QR code and writes PNG and SVG; pay <link> pays it", async () => {
    const png = join(chain.temp, "request.png");
    const svg = join(chain.temp, "request.svg");
    const run = await chain.gram(["request", "5", "--memo", "lunch", "--expires", "1h", "--png", png, "--svg", svg], {
      home: merchantHome,
    });
    expect(run.code, run.stderr).toBe(0);
    const link = /gram:request\/[A-Za-z0-9_-]+/.exec(run.stdout)?.[0] as string;
    expect(link).toBeDefined();
    expect(run.stdout).toContain("▀");
    expect((await readFile(png)).subarray(1, 4).toString()).toBe("PNG");
    expect(await readFile(svg, "utf8")).toMatch(/^<svg/);

    const before = await chain.balanceOf(merchant);
    const paid = await chain.gram(["pay", link, ...signing()], { home: payerHome });
    expect(paid.code, paid.stderr).toBe(0);
    expect(paid.stderr).toContain("memo: lunch");
    expect(await chain.balanceOf(merchant)).toBe(before + GRAM("5"));
  });
});

describe("gram invoice → pay → capture → refund → withdraw", () => {
  it("runs the whole merchant flow through the CLI", async () => {
    const created = jsonOf(
      await chain.gram(
        [
          "invoice",
          "create",
          "20",
          "--title",
          "Pizza night",
          "--item",
          "Margherita:2:10",
          "--max-tip",
          "3",
          "--json",
          ...signing(),
        ],
        { home: merchantHome },
      ),
    );
    expect(created).toMatchObject({ ok: true, command: "invoice create", metadata: { title: "Pizza night" } });
    const link = created.link as string;
    const id = created.id as string;
    expect(link).toMatch(/^gram:invoice\/[A-Za-z0-9_-]+$/);

    const payerBefore = await chain.balanceOf(payer);
    const paid = await chain.gram(["pay", link, "--tip", "1", ...signing()], { home: payerHome });
    expect(paid.code, paid.stderr).toBe(0);
    expect(paid.stderr).toContain("Invoice: Pizza night");
    expect(paid.stderr).toContain("2 × Margherita @ 10");
    expect(await chain.balanceOf(payer)).toBe(payerBefore - GRAM("21"));
    expect(await chain.balanceOf(chain.escrow)).toBe(GRAM("20"));

    const shown = jsonOf(await chain.gram(["invoice", "show", id.slice(0, 10), "--json"], { home: merchantHome }));
    expect(shown).toMatchObject({ status: "held", held: "20", link });

    const captured = await chain.gram(["capture", id.slice(0, 10), "15", ...signing()], { home: merchantHome });
    expect(captured.code, captured.stderr).toBe(0);
    const voided = await chain.gram(["void", id, ...signing()], { home: merchantHome });
    expect(voided.code, voided.stderr).toBe(0);
    expect(await chain.balanceOf(payer)).toBe(payerBefore - GRAM("16"));

    const refunded = await chain.gram(["refund", id, "4", ...signing()], { home: merchantHome });
    expect(refunded.code, refunded.stderr).toBe(0);
    expect(await chain.balanceOf(payer)).toBe(payerBefore - GRAM("12"));

    const merchantBefore = await chain.balanceOf(merchant);
    const withdrawn = await chain.gram(["withdraw", "11", ...signing()], { home: merchantHome });
    expect(withdrawn.code, withdrawn.stderr).toBe(0);
    // 0.5% withdrawal fee to the treasury.
    expect(await chain.balanceOf(merchant)).toBe(merchantBefore + GRAM("11") - GRAM("0.055"));

    const list = jsonOf(await chain.gram(["invoice", "list", "--json"], { home: merchantHome }));
    expect(list.invoices).toEqual([expect.objectContaining({ id, role: "merchant", status: "captured" })]);
  });
});

describe("--json", () => {
  it("prints one object: ok, command and the result's fields, or ok false and error {code, message, hint}", async () => {
    const success = await chain.gram(["address", "--json"], { home: payerHome });
    expect(success.code).toBe(0);
    expect(success.stderr).toBe("");
    expect(JSON.parse(success.stdout)).toEqual({ ok: true, command: "address", address: payer });

    const failure = await chain.gram(["send", "@bobby", "1", "--json", "--yes"], { home: payerHome });
    expect(failure.code).toBe(1);
    expect(failure.stderr).toBe("");
    expect(JSON.parse(failure.stdout)).toEqual({
      ok: false,
      command: "send",
      error: {
        code: "UNKNOWN_CONTACT",
        message: "no contact @bobby; did you mean @bob?",
        hint: "`gram contacts list` shows your contacts; `gram contacts add <name> <address>` adds one",
      },
    });

    const usage = await chain.gram(["--json", "sned"], { home: payerHome });
    expect(usage.code).toBe(1);
    expect(JSON.parse(usage.stdout)).toEqual({
      ok: false,
      error: { code: "USAGE", message: "unknown command 'sned'", hint: "Did you mean send?" },
    });

    // A chain that cannot be reached is a failure, not the user's input: exit 2.
    const down = await chain.gram(["balance", "--json", "--rpc", "http://127.0.0.1:9"], { home: payerHome });
    expect(down.code).toBe(2);
    expect(JSON.parse(down.stdout)).toMatchObject({ ok: false, error: { code: "CHAIN_ERROR" } });
  });
});

describe("what is printed", () => {
  it("no private key, mnemonic or password appears in any output but export --reveal / init --show-mnemonic", () => {
    expect(runs.length).toBeGreaterThan(20);
    expect(keyMaterialLeaks(SECRETS)).toEqual([]);
    // The check sees secrets where they are printed.
    expect(runs.some((run) => run.args.includes("--reveal") && run.stdout.includes(privateKeyOf(ROLE.payer)))).toBe(
      true,
    );
  });
});
