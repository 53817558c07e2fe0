import { Wallet } from "ethers";
import fc from "fast-check";
import { type Hex, recoverMessageAddress, recoverTypedDataAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import {
  escrowDomain,
  gramTokenDomain,
  invoiceTypes,
  transferWithAuthorizationTypes,
} from "../../../protocol/eip712.ts";
import { deriveAccount } from "../../../wallet/keys/deriveAccount.ts";
import { ACCOUNT_1, TEST_MNEMONIC } from "../../kit/accounts.ts";

// A cross-check, not a second implementation: the keystore is ethers', the signing is viem's; both must
// produce the same bytes for the same key.
const { privateKey } = deriveAccount({ mnemonic: TEST_MNEMONIC, index: 1 });
const ethersWallet = new Wallet(privateKey);
const viemAccount = privateKeyToAccount(privateKey);

const TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const ESCROW = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";

describe("ethers and viem sign alike", () => {
  it("agree on the address", () => {
    expect([ethersWallet.address, viemAccount.address]).toEqual([ACCOUNT_1, ACCOUNT_1]);
  });

  it.each([
    ["ASCII text", "Sign in to Gram"],
    ["Unicode text", "Плати 5 GRAM 🍕"],
    ["an empty message", ""],
  ])("personal_sign of %s", async (_, message) => {
    const viemSignature = await viemAccount.signMessage({ message });
    expect(await ethersWallet.signMessage(message)).toBe(viemSignature);
    expect(await recoverMessageAddress({ message, signature: viemSignature })).toBe(ACCOUNT_1);
  });

  it("personal_sign of raw bytes, for any bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        const raw = `0x${Buffer.from(bytes).toString("hex")}` as Hex;
        expect(await ethersWallet.signMessage(bytes)).toBe(await viemAccount.signMessage({ message: { raw } }));
      }),
      { numRuns: 25 },
    );
  });

  it("EIP-712: an ERC-3009 TransferWithAuthorization under GramToken's domain", async () => {
    const domain = gramTokenDomain(31337, TOKEN);
    const message = {
      from: ACCOUNT_1,
      to: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
      value: 5_000_000_000n,
      validAfter: 0n,
      validBefore: 1_900_000_000n,
      nonce: `0x${"ab".repeat(32)}`,
    } as const;
    const viemSignature = await viemAccount.signTypedData({
      domain,
      types: transferWithAuthorizationTypes,
      primaryType: "TransferWithAuthorization",
      message,
    });
    expect(await ethersWallet.signTypedData(domain, copy(transferWithAuthorizationTypes), message)).toBe(viemSignature);
    expect(
      await recoverTypedDataAddress({
        domain,
        types: transferWithAuthorizationTypes,
        primaryType: "TransferWithAuthorization",
        message,
        signature: viemSignature,
      }),
    ).toBe(ACCOUNT_1);
  });

  it("EIP-712: a merchant's Invoice under the escrow's domain", async () => {
    const domain = escrowDomain(31337, ESCROW);
    const message = {
      merchant: ACCOUNT_1,
      token: TOKEN,
      amount: 12_500_000_000n,
      maxTip: 1_000_000_000n,
      cashbackBps: 150,
      payer: "0x0000000000000000000000000000000000000000",
      nonce: 7n,
      payBefore: 1_900_000_000,
      captureBefore: 1_900_100_000,
      refundBefore: 1_901_000_000,
      ref: `0x${"01".repeat(32)}`,
      metadataHash: `0x${"02".repeat(32)}`,
    } as const;
    const viemSignature = await viemAccount.signTypedData({
      domain,
      types: invoiceTypes,
      primaryType: "Invoice",
      message,
    });
    expect(await ethersWallet.signTypedData(domain, copy(invoiceTypes), message)).toBe(viemSignature);
  });
});

/** ethers wants mutable type arrays; the protocol's are `as const`. */
function copy<T extends Record<string, readonly { name: string; type: string }[]>>(types: T) {
  return Object.fromEntries(Object.entries(types).map(([name, fields]) => [name, fields.map((f) => ({ ...f }))]));
}
