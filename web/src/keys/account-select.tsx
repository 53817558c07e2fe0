// The vault's accounts to choose from, each named and shown by its shortened address.
import type { Address } from "viem";

export interface AccountSelectProps {
  id: string;
  testId?: string | undefined;
  accounts: readonly { name: string; address: Address }[];
  value: Address | undefined;
  onChange(address: Address): void;
}

/** A `<select>` of `accounts`: "name · 0x1234…abcd". */
export function AccountSelect({ id, testId, accounts, value, onChange }: AccountSelectProps) {
  return (
    <select
      id={id}
      data-testid={testId}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value as Address)}
    >
      {accounts.map((account) => (
        <option key={account.address} value={account.address}>
          {account.name} · {account.address.slice(0, 6)}…{account.address.slice(-4)}
        </option>
      ))}
    </select>
  );
}
