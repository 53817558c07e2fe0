import fc from "fast-check";
import { network } from "hardhat";
import { type Address, bytesToHex, getAddress, zeroAddress } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { type Invoice, invoiceId } from "../../protocol/invoice.ts";

const connection = await network.create();
afterAll(() => connection.close());
const { viem } = connection;
const publicClient = await viem.getPublicClient();
const [owner] = await viem.getWalletClients();
if (owner === undefined) throw new Error("the in-process chain has no accounts");
const ownerAddress = owner.account.address;
const escrow = await viem.deployContract("MerchantEscrow", [ownerAddress, ownerAddress, ownerAddress, 50]);
const chainId = await publicClient.getChainId();

const UINT256_MAX = 2n ** 256n - 1n;
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => getAddress(bytesToHex(bytes)));
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => bytesToHex(bytes));
const uint256 = fc.bigInt({ min: 0n, max: UINT256_MAX });
const uint40 = fc.integer({ min: 0, max: 2 ** 40 - 1 });
const invoiceArbitrary: fc.Arbitrary<Invoice> = fc.record({
  merchant: address,
  token: address,
  amount: uint256,
  maxTip: uint256,
  cashbackBps: fc.integer({ min: 0, max: 2 ** 16 - 1 }),
  payer: fc.oneof(fc.constant(zeroAddress as Address), address),
  nonce: uint256,
  payBefore: uint40,
  captureBefore: uint40,
  refundBefore: uint40,
  ref: bytes32,
  metadataHash: bytes32,
});

describe("invoiceId", () => {
  it("equals the escrow's invoiceId view for random invoices (10 batches of 25)", async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(invoiceArbitrary, { minLength: 25, maxLength: 25 }), async (invoices) => {
        // One batch of concurrent eth_calls per run keeps 250 invoices at well under a second.
        const onChain = await Promise.all(invoices.map((invoice) => escrow.read.invoiceId([invoice])));
        expect(onChain).toEqual(invoices.map((invoice) => invoiceId({ chainId, escrow: escrow.address, invoice })));
        checked += invoices.length;
      }),
      { numRuns: 10 },
    );
    expect(checked).toBeGreaterThanOrEqual(200);
  });

  it("changes with the chain id and with the escrow address", () => {
    fc.assert(
      fc.property(
        invoiceArbitrary,
        fc.integer({ min: 1, max: 2 ** 32 }),
        address,
        (invoice, otherChainId, otherEscrow) => {
          fc.pre(otherChainId !== chainId && otherEscrow !== escrow.address);
          const id = invoiceId({ chainId, escrow: escrow.address, invoice });
          expect(invoiceId({ chainId: otherChainId, escrow: escrow.address, invoice })).not.toBe(id);
          expect(invoiceId({ chainId, escrow: otherEscrow, invoice })).not.toBe(id);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a second escrow gives the same invoice another id, the one computed for its address", async () => {
    const other = await viem.deployContract("MerchantEscrow", [ownerAddress, ownerAddress, ownerAddress, 0]);
    const [invoice] = fc.sample(invoiceArbitrary, { numRuns: 1, seed: 42 });
    if (invoice === undefined) throw new Error("fc.sample returned nothing");
    const id = await other.read.invoiceId([invoice]);
    expect(id).toBe(invoiceId({ chainId, escrow: other.address, invoice }));
    expect(id).not.toBe(await escrow.read.invoiceId([invoice]));
  });
});
