// Whom `@name` pays in `gram chat`, as child processes over the real hub, node and chain. The user has a
// contact alice; someone else registered "alice" on the hub. Every spelling that folds to "alice" (NFKC,
// lower case) is the contact, never the hub's alice; a name only the hub knows is paid with a notice that
// says so, before the first payment.
import { parseUnits } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localAccount, ROLE } from "../../kit/accounts.ts";
import { type ChatStack, startChatStack } from "../../kit/chat-stack.ts";
import { jsonOf, keyMaterialLeaks, SECRETS } from "../../kit/cli-chain.ts";

let stack: ChatStack;
const home: Record<"me" | "squatter" | "stranger", string> = { me: "", squatter: "", stranger: "" };
const me = localAccount(ROLE.payer).address;
/** The user's contact alice. */
const contact = localAccount(ROLE.other).address;
/** Whoever registered "alice" on the hub. */
const squatter = localAccount(ROLE.merchant).address;
/** "alicia" on the hub, no contact of the user. */
const stranger = localAccount(ROLE.treasury).address;

beforeAll(async () => {
  stack = await startChatStack();
  home.me = await stack.chain.homeWith(ROLE.payer);
  home.squatter = await stack.chain.homeWith(ROLE.merchant);
  home.stranger = await stack.chain.homeWith(ROLE.treasury);
  expect((await as("me", ["contacts", "add", "alice", contact])).code).toBe(0);
  expect((await as("squatter", ["chat", "register", "alice"])).code).toBe(0);
  expect((await as("stranger", ["chat", "register", "alicia"])).code).toBe(0);
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

const pw = () => ["--password-file", stack.chain.passwordFile];
const as = (who: keyof typeof home, args: string[]) => stack.gram([...args, ...pw()], { home: home[who] });
// biome-ignore lint/suspicious/noExplicitAny: JSON results are asserted on field by field.
const ok = async (args: string[]): Promise<any> => {
  const run = await as("me", [...args, "--json"]);
  expect(run.code, `${args.join(" ")}: ${run.stdout}${run.stderr}`).toBe(0);
  return jsonOf(run);
};
const balance = (who: `0x${string}`) => stack.chain.balanceOf(who);

describe("@name: the contact book wins, in every spelling", () => {
  it("gram chat pay @ａｌｉｃｅ (full-width) pays the contact alice, not the hub's alice", async () => {
    const before = { contact: await balance(contact), squatter: await balance(squatter) };
    const paid = await ok(["chat", "pay", "@ａｌｉｃｅ", "1", "--yes"]);
    expect(paid).toMatchObject({ to: contact, toName: "@alice", amount: "1", status: "success" });
    expect(await balance(contact)).toBe(before.contact + parseUnits("1", 9));
    expect(await balance(squatter)).toBe(before.squatter);
  });

  it.each([
    ["upper case", "@ALICE"],
    ["full-width capitals", "@ＡＬＩＣＥ"],
    ["a full-width @", "＠alice"],
    ["mathematical bold", "@𝐚𝐥𝐢𝐜𝐞"],
    ["circled letters", "@ⓐⓛⓘⓒⓔ"],
  ])("%s (%s) reaches the contact alice", async (_name, spelling) => {
    const sent = await ok(["chat", "send", spelling, "hi"]);
    expect(sent).toMatchObject({ to: { type: "direct", address: contact }, toName: "@alice" });
  });

  it("gram send folds @name the same way: @ａｌｉｃｅ is the contact", async () => {
    const before = await balance(contact);
    const sent = await ok(["send", "@ａｌｉｃｅ", "1", "--yes"]);
    expect(sent).toMatchObject({ to: contact, status: "success" });
    expect(await balance(contact)).toBe(before + parseUnits("1", 9));
  });
});

describe("a name only the hub knows (~name)", () => {
  it("the first payment to it says so before asking, names the close contact, and --yes goes on; the second is quiet", async () => {
    // No terminal and no --yes: the notice is printed, then the question cannot be asked and nothing is signed.
    const nonce = await stack.chain.client.getTransactionCount({ address: me });
    const asked = await as("me", ["chat", "pay", "@alicia", "1"]);
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain(
      `notice: ~alicia is the chat hub's name for ${stranger}, not one of your contacts, and you have never paid it before: anyone may register a free name; your contact @alice is another address\n`,
    );
    expect(asked.stderr).toMatch(/\(~alicia\)/);
    expect(asked.stderr).toContain("code: NOT_CONFIRMED");
    expect(await stack.chain.client.getTransactionCount({ address: me })).toBe(nonce);

    const before = await balance(stranger);
    const paid = await ok(["chat", "pay", "@alicia", "1", "--yes"]);
    expect(paid).toMatchObject({ to: stranger, toName: "~alicia", status: "success" });
    expect(paid.warnings).toEqual([
      {
        code: "HUB_NAME",
        level: "notice",
        message: expect.stringContaining("~alicia is the chat hub's name for"),
      },
    ]);
    expect(paid.summary.recipient).toBe(stranger);
    expect(await balance(stranger)).toBe(before + parseUnits("1", 9));

    await stack.synced();
    const again = await ok(["chat", "pay", "@alicia", "1", "--yes"]);
    expect(again.warnings).toEqual([]);
  });

  it("a contact's first payment has no hub notice (the user named it)", async () => {
    const paid = await ok(["chat", "pay", "@alice", "1", "--yes"]);
    expect(paid.warnings.map((w: { code: string }) => w.code)).not.toContain("HUB_NAME");
  });
});

it("no key material in any output", () => {
  expect(keyMaterialLeaks(SECRETS)).toEqual([]);
});
