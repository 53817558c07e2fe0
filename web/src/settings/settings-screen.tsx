// `#/settings` (signed in): the node, the auto-lock time, the vault's accounts, the phrase's export and
// the password. Each part is a section of its own file; the vault's rules are the library's (wallet/vault).
import { AccountsSection } from "./accounts-section.tsx";
import { AutoLockSection } from "./auto-lock-section.tsx";
import { ChangePasswordSection } from "./change-password-section.tsx";
import { ExportPhraseSection } from "./export-phrase-section.tsx";
import { NodeSection } from "./node-section.tsx";
import "../keys/keys.css";

export function SettingsScreen() {
  return (
    <section class="screen settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <NodeSection />
      <AutoLockSection />
      <AccountsSection />
      <ExportPhraseSection />
      <ChangePasswordSection />
    </section>
  );
}
