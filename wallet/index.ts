export { parseAddress } from "./address.ts";
export * from "./contacts/index.ts";
export * from "./errors.ts";
export { contactsFile, type GramHomeParameters, gramHome, keystoreDir } from "./home.ts";
export * from "./keys/index.ts";
export * from "./node/index.ts";
