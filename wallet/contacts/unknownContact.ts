import { UnknownContactError } from "../errors.ts";
import { closeNames } from "./contact-name.ts";

/** "no contact @bobb; did you mean @bob?" */
export function unknownContact(name: string, names: string[]): UnknownContactError {
  const close = closeNames(name, names);
  return new UnknownContactError(
    `no contact @${name}${close.length ? `; did you mean ${close.map((n) => `@${n}`).join(", ")}?` : ""}`,
    { hint: "`gram contacts list` shows your contacts; `gram contacts add <name> <address>` adds one" },
  );
}
