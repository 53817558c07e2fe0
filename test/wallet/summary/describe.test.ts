import { network } from "hardhat";
import { encodeFunctionData, serializeTransaction } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { gramTokenAbi, merchantEscrowAbi } from "../../../protocol/abis.ts";
import { gramTokenDomain, permitTypes, transferWithAuthorizationTypes } from "../../../protocol/eip712.ts";
import { gram } from "../../../scripts/lib/contracts-fixture.ts";
import { describeTransaction, UnknownTransactionError } from "../../../wallet/summary/describeTransaction.ts";
import { describeTypedData } from "../../../wallet/summary/describeTypedData.ts";
import { addressOf, ROLE } from "../../kit/accounts.ts";
import { setUpChain } from "../../kit/wallet-chain.ts";
import { failure } from "../../kit/wallet-helpers.ts";

const connection = await network.create();
afterAll(() => connection.close());
const chain = await setUpChain(connection);
const fees = { gas: 100_000n, maxFeePerGas: 3_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n };

describe("describeTransaction", () => {
  it("decodes serialized bytes the same as the fields they hold, with amount, token and the most the fee can be", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const fields = {
      chainId: 31337,
      to: chain.token,
      data: encodeFunctionData({
        abi: gramTokenAbi,
        functionName: "transfer",
        args: [addressOf("other"), gram("0.000000001")],
      }),
      value: 0n,
      ...fees,
    };
    const fromFields = await describeTransaction(client, { transaction: fields, from: addressOf("payer") });
    const fromBytes = await describeTransaction(client, {
      transaction: serializeTransaction({ type: "eip1559", nonce: 3, ...fields }),
      from: addressOf("payer"),
    });
    expect(fromBytes).toEqual(fromFields);
    expect(fromFields).toEqual({
      kind: "transaction",
      action: "transfer",
      chainId: 31337,
      chainName: "Hardhat",
      from: addressOf("payer"),
      contract: chain.token,
      knownContract: "token",
      recipient: addressOf("other"),
      token: { address: chain.token, symbol: "GRAM", decimals: 9 },
      amount: { units: 1n, formatted: "0.000000001" },
      tip: undefined,
      invoiceId: undefined,
      fee: { ...fees, max: { units: 300_000_000_000_000n, formatted: "0.0003" }, symbol: "ETH" },
      expiry: undefined,
      nonce: undefined,
      notes: [],
    });
  });

  it("refuses to describe (so the wallet refuses to sign) calls it does not know", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const from = addressOf("payer");
    const unknown = await failure(
      UnknownTransactionError,
      describeTransaction(client, {
        transaction: { chainId: 31337, to: chain.token, data: "0xdeadbeef", value: 0n, ...fees },
        from,
      }),
    );
    expect(unknown.shortMessage).toBe(`cannot describe the call to ${chain.token} (selector 0xdeadbeef)`);
    // A known call the wallet never makes (an admin function).
    const admin = encodeFunctionData({ abi: merchantEscrowAbi, functionName: "setArbiter", args: [from] });
    expect(
      (
        await failure(
          UnknownTransactionError,
          describeTransaction(client, {
            transaction: { chainId: 31337, to: chain.escrow, data: admin, value: 0n, ...fees },
            from,
          }),
        )
      ).shortMessage,
    ).toBe("the wallet does not sign setArbiter calls");
    // Native currency along with a token call.
    const transfer = encodeFunctionData({ abi: gramTokenAbi, functionName: "transfer", args: [from, 1n] });
    await failure(
      UnknownTransactionError,
      describeTransaction(client, {
        transaction: { chainId: 31337, to: chain.token, data: transfer, value: 1n, ...fees },
        from,
      }),
    );
  });
});

describe("describeTypedData", () => {
  it("describes a permit: spender, amount, deadline", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const summary = await describeTypedData(client, {
      typedData: {
        domain: gramTokenDomain(31337, chain.token),
        types: permitTypes,
        primaryType: "Permit",
        message: {
          owner: addressOf("payer"),
          spender: chain.escrow,
          value: gram("2"),
          nonce: 0n,
          deadline: 1_900_000_000n,
        },
      },
      signer: addressOf("payer"),
    });
    expect(summary).toMatchObject({
      kind: "signature",
      action: "permit",
      recipient: chain.escrow,
      knownContract: "token",
      amount: { formatted: "2" },
      expiry: 1_900_000_000,
      fee: undefined,
    });
  });

  it("refuses a struct that only shares a name with the protocol's, and unknown structs", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const message = {
      from: addressOf("payer"),
      to: addressOf("other"),
      value: 1n,
      validAfter: 0n,
      validBefore: 1n,
      nonce: `0x${"00".repeat(32)}`,
    };
    const reordered = {
      TransferWithAuthorization: [...transferWithAuthorizationTypes.TransferWithAuthorization].reverse(),
    };
    await failure(
      UnknownTransactionError,
      describeTypedData(client, {
        typedData: {
          domain: gramTokenDomain(31337, chain.token),
          types: reordered,
          primaryType: "TransferWithAuthorization",
          message,
        },
        signer: addressOf("payer"),
      }),
    );
    const error = await failure(
      UnknownTransactionError,
      describeTypedData(client, {
        typedData: {
          domain: gramTokenDomain(31337, chain.token),
          types: { Mail: [{ name: "x", type: "uint256" }] },
          primaryType: "Mail",
          message: { x: 1n },
        },
        signer: addressOf("payer"),
      }),
    );
    expect(error.shortMessage).toBe("the wallet does not sign 'Mail' typed data");
  });
});
