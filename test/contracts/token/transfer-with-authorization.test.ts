import { network } from "hardhat";
import { afterAll, describe, expect, it } from "vitest";
import { deployGram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";
import {
  describeAuthorizationRules,
  expectUntouched,
  signedPayerToTreasury,
  submitVrs,
} from "./authorization-rules.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

describe("transferWithAuthorization", () => {
  describeAuthorizationRules("transfer", load);

  it("transferWithAuthorization rejects a relayer's change of the recipient", async () => {
    const f = await load();
    const { a, auth, payerBefore, signature } = await signedPayerToTreasury(f, "transfer");
    const relayerBefore = await f.token.read.balanceOf([a.relayer]);
    await expectRevert(submitVrs(f, "transfer", { ...auth, to: a.relayer }, signature), "ERC3009InvalidSignature", []);
    expect(await f.token.read.balanceOf([a.relayer])).toBe(relayerBefore);
    await expectUntouched(f, auth, payerBefore);
  });
});
