// argon2id with the library's defaults (OWASP-compatible memory cost); hashes are self-describing strings.
import { hash, verify } from '@node-rs/argon2';

export function hashPassword(password: string): Promise<string> {
  return hash(password, {
    algorithm: 2 /* Algorithm.Argon2id: a const enum, unusable under isolatedModules */,
  });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
