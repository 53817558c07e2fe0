import { type Hex, isAddressEqual, zeroAddress } from "viem";
import { gramTokenAbi, merchantEscrowAbi } from "../../protocol/abis.ts";
import { escrowDomain, invoiceTypes, receiveWithAuthorizationTypes } from "../../protocol/eip712.ts";
import { invoiceId } from "../../protocol/invoice.ts";
import type { RelayPayRequest, RelayResponse } from "../../protocol/relay.ts";
import { chainNow, checkNonceAndBalance, checkTimeWindow } from "./check-authorization.ts";
import { checkAmount, checkChain, checkToken } from "./check-request.ts";
import type { RelayerContext } from "./context.ts";
import { RelayError } from "./errors.ts";
import { payRecordKey } from "./records.ts";
import { relayOnce } from "./relay-once.ts";
import { simulateOrRefuse } from "./simulate.ts";
import { type SignerKind, splitSignature, verifySigner } from "./verify-signature.ts";

/** The escrow's function and errors, with the token's errors: `receiveWithAuthorization` reverts inside it. */
const payAbi = [...merchantEscrowAbi, ...gramTokenAbi.filter((item) => item.type === "error")];

/**
 * Pays an invoice through the escrow's `payWithAuthorization`, paying the gas: the payer's ERC-3009
 * `ReceiveWithAuthorization` of `amount + tip` to the escrow, whose nonce is the invoice id. An invoice
 * relayed for one payer is refused to every other ("already paid by"). Before any gas is spent it
 * checks, in order: the chain, the escrow and token, the amount, the payer's signature, the payer's
 * rate limit, the time window, the nonce, the balance, the invoice (expiry, tip, payer, number unused,
 * merchant's signature), and a simulation of the exact call within the route's gas ceiling (more for
 * each contract signer).
 *
 * @example
 * const { txHash, id } = await relayPay(ctx, relayPayRequestSchema.parse(body));
 */
export async function relayPay(ctx: RelayerContext, request: RelayPayRequest): Promise<RelayResponse> {
  const { invoice, payer, tip, validAfter, validBefore, signature } = request;
  checkChain(ctx, request.chainId);
  if (!isAddressEqual(request.escrow, ctx.escrow)) {
    throw new RelayError(
      "INVOICE_INVALID",
      `this relayer pays through the escrow ${ctx.escrow}, not ${request.escrow}`,
    );
  }
  checkToken(ctx, invoice.token);
  const value = invoice.amount + tip;
  checkAmount(ctx, invoice.token, value);
  const id = invoiceId({ chainId: ctx.chainId, escrow: ctx.escrow, invoice });
  const vrs = splitSignature(signature);
  return relayOnce(ctx, {
    kind: "pay",
    key: payRecordKey(ctx.escrow, id),
    id,
    payer,
    request,
    taken: (record) =>
      new RelayError("INVOICE_INVALID", `invoice ${id} is already paid by ${record.payer ?? "another payer"}`, {
        hint: "nothing was sent; ask the merchant for a new invoice if you meant to pay again",
      }),
    async verify() {
      if (vrs === undefined) {
        throw new RelayError(
          "INVALID_SIGNATURE",
          "payWithAuthorization takes the payer's signature as 65 bytes (v, r, s)",
        );
      }
      return verifySigner(ctx, {
        signer: payer,
        typedData: {
          domain: await ctx.tokenDomain(invoice.token),
          types: receiveWithAuthorizationTypes,
          primaryType: "ReceiveWithAuthorization",
          message: { from: payer, to: ctx.escrow, value, validAfter, validBefore, nonce: id },
        },
        signature,
        what: "the authorization",
      });
    },
    async prepare(payerKind) {
      const now = await chainNow(ctx);
      checkTimeWindow(ctx, now, request);
      await checkNonceAndBalance(ctx, { token: invoice.token, from: payer, nonce: id, value });
      const merchantKind = await checkInvoice(ctx, now, request, id);
      const contracts = [payerKind, merchantKind].filter((kind) => kind === "contract").length;
      const { v, r, s } = vrs as NonNullable<typeof vrs>;
      const call = await simulateOrRefuse(ctx, {
        address: ctx.escrow,
        abi: payAbi,
        functionName: "payWithAuthorization",
        args: [invoice, request.merchantSignature, tip, payer, validAfter, validBefore, v, r, s],
        maxGas: ctx.limits.maxGas.pay + BigInt(contracts) * ctx.limits.contractSignerGas,
        route:
          contracts > 0
            ? `an invoice payment with ${contracts} contract signer${contracts > 1 ? "s" : ""}`
            : "an invoice payment",
      });
      return { to: ctx.escrow, ...call };
    },
  });
}

/**
 * What the escrow's `_accept` would refuse, said plainly; the rarer cases are left to the simulation.
 * Returns what signed the invoice: a contract merchant's check adds to the gas the relayer pays.
 */
async function checkInvoice(
  ctx: RelayerContext,
  now: bigint,
  { invoice, payer, tip, merchantSignature }: RelayPayRequest,
  id: Hex,
): Promise<SignerKind> {
  const payBefore = BigInt(invoice.payBefore);
  if (payBefore <= now) {
    throw new RelayError(
      "INVOICE_INVALID",
      `the invoice expired at ${new Date(invoice.payBefore * 1_000).toISOString()}`,
    );
  }
  if (payBefore < now + BigInt(ctx.safetyMarginSeconds)) {
    throw new RelayError(
      "INVOICE_INVALID",
      `the invoice expires at ${new Date(invoice.payBefore * 1_000).toISOString()}, less than ${ctx.safetyMarginSeconds} s from now: too soon to be mined safely`,
    );
  }
  if (tip > invoice.maxTip) {
    throw new RelayError("INVOICE_INVALID", `the tip ${tip} is above the invoice's maxTip ${invoice.maxTip}`);
  }
  if (!isAddressEqual(invoice.payer, zeroAddress) && !isAddressEqual(invoice.payer, payer)) {
    throw new RelayError("INVOICE_INVALID", `the invoice may be paid only by ${invoice.payer}, not ${payer}`);
  }
  const used = await ctx.publicClient.readContract({
    address: ctx.escrow,
    abi: merchantEscrowAbi,
    functionName: "isInvoiceUsed",
    args: [invoice.merchant, invoice.nonce],
  });
  if (used) {
    // The escrow remembers who paid an open invoice (zero: one naming its payer, or canceled).
    const paidBy = await ctx.publicClient.readContract({
      address: ctx.escrow,
      abi: merchantEscrowAbi,
      functionName: "openInvoicePayer",
      args: [id],
    });
    throw new RelayError(
      "INVOICE_INVALID",
      isAddressEqual(paidBy, zeroAddress)
        ? `invoice number ${invoice.nonce} of ${invoice.merchant} is already paid or canceled`
        : `invoice number ${invoice.nonce} of ${invoice.merchant} is already paid by ${paidBy}`,
    );
  }
  return verifySigner(ctx, {
    signer: invoice.merchant,
    typedData: {
      domain: escrowDomain(ctx.chainId, ctx.escrow),
      types: invoiceTypes,
      primaryType: "Invoice",
      message: invoice,
    },
    signature: merchantSignature,
    what: "the invoice",
    code: "INVOICE_INVALID",
  });
}
