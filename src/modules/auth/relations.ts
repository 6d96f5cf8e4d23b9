// The auth capability's light public entry (docs/architecture.md): the accounts as a relation and the
// lookup by user name, without the password hashing (a native module), the sessions and their schemas
// that index.ts loads — a demo step or reader that needs only these imports them from here (issue 13).
export { accountRows, usersByName, type UserRef } from './lookup.ts';
