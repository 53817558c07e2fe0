// A second wallet process for the nonce tests: sends `count` transfers from Hardhat account `index` over
// the chain served on loopback, with the given $GRAM_HOME, and prints the nonces it got as JSON.
import { createPublicClient, createWalletClient, http } from "viem";
import { hardhat } from "viem/chains";
import { createGramClient } from "../../../wallet/actions/client.ts";
import { sendTransfer } from "../../../wallet/actions/sendTransfer.ts";
import { localAccount } from "../../kit/accounts.ts";

const [url, home, index, token, escrow, to, count] = process.argv.slice(2) as [
  string,
  string,
  string,
  `0x${string}`,
  `0x${string}`,
  string,
  string,
];
const transport = http(url);
const client = await createGramClient({
  publicClient: createPublicClient({ chain: hardhat, transport }),
  walletClient: createWalletClient({ chain: hardhat, transport, account: localAccount(Number(index)) }),
  chainId: hardhat.id,
  contracts: { token, escrow },
  home,
});
const sent: { nonce: number; hash: string }[] = [];
for (let i = 0; i < Number(count); i++) {
  const { nonce, hash } = await sendTransfer(client, { to, amount: "1" });
  sent.push({ nonce, hash });
}
process.stdout.write(JSON.stringify(sent));
