export { type AddContactParameters, type AddContactReturnType, addContact } from "./addContact.ts";
export { closeNames, normalizeContactName } from "./contact-name.ts";
export {
  type Contacts,
  type ContactsStore,
  memoryContactsStore,
  parseContacts,
} from "./contacts-book.ts";
export { fileContactsStore, readContacts } from "./contacts-store.ts";
export { type ContactsSource, contactsStoreOf } from "./contactsStoreOf.ts";
export { type ListContactsParameters, type ListContactsReturnType, listContacts } from "./listContacts.ts";
export { type RemoveContactParameters, type RemoveContactReturnType, removeContact } from "./removeContact.ts";
export {
  type ResolveRecipientParameters,
  type ResolveRecipientReturnType,
  resolveRecipient,
} from "./resolveRecipient.ts";
