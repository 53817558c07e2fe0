// The last step of creating or importing an account: add it to the vault under the password, then
// either sign the tab in as it (a signed-out tab, or one signed in as a demo account) or, when the tab is
// already unlocked, keep the session and show the account in the settings' list.
import { type AddAccountSource, addAccount } from "../../../wallet/vault/addAccount.ts";
import { navigate } from "../router.ts";
import { refreshVaultAccounts, setActiveAddress, unlockAs, vaultSession, vaultStore } from "./vault.ts";

export async function addToVault({
  password,
  source,
  name,
}: {
  password: string;
  source: AddAccountSource;
  name: string | undefined;
}): Promise<void> {
  const added = await addAccount(vaultStore, { password, source, name });
  await refreshVaultAccounts();
  if (vaultSession.value !== undefined && !vaultSession.value.locked) {
    navigate("/settings");
    return;
  }
  setActiveAddress(added.address);
  await unlockAs({ address: added.address, password });
  navigate("/chats");
}
