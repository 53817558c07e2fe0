import { network } from "hardhat";
import { afterAll, describe, it } from "vitest";
import { deployGram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";
import {
  describeAuthorizationRules,
  expectUntouched,
  signedPayerToTreasury,
  submitBytes,
  submitVrs,
} from "./authorization-rules.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

describe("receiveWithAuthorization", () => {
  describeAuthorizationRules("receive", load);

  it("receiveWithAuthorization called by someone other than to reverts with GramCallerNotPayee(caller, payee)", async () => {
    const f = await load();
    const { a, auth, payerBefore, signature } = await signedPayerToTreasury(f, "receive");
    await expectRevert(submitVrs(f, "receive", auth, signature, f.accounts.relayer), "GramCallerNotPayee", [
      a.relayer,
      a.treasury,
    ]);
    await expectRevert(submitBytes(f, "receive", auth, signature, f.accounts.payer), "GramCallerNotPayee", [
      a.payer,
      a.treasury,
    ]);
    await expectUntouched(f, auth, payerBefore);
  });
});
