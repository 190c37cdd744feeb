/**
 * `secure:` stack config values, as the Pulumi CLI reads them. A stack on the passphrase secrets
 * provider keeps `encryptionsalt: v1:<salt>:v1:<nonce>:<ciphertext>` in its stack file and each value as
 * `v1:<nonce>:<ciphertext>`: AES-256-GCM under a key derived with PBKDF2-SHA256 (1,000,000 rounds, 32
 * bytes) from the passphrase (pulumi/pulumi sdk/go/common/resource/config/crypt.go
 * NewSymmetricCrypterFromPassphrase, pkg/secrets/passphrase/manager.go). With PULUMI_CONFIG_PASSPHRASE or
 * PULUMI_CONFIG_PASSPHRASE_FILE set, the offline plan decrypts them as the CLI does; otherwise (another
 * secrets provider, no passphrase) the value stays the placeholder "[secret]". Either way the key is a
 * secret and its value is never printed.
 */
import { createDecipheriv, pbkdf2Sync } from "node:crypto";
import * as fs from "node:fs";

export type Decrypt = (ciphertext: string) => string | undefined;

function passphrase(env: NodeJS.ProcessEnv): string | undefined {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return env.PULUMI_CONFIG_PASSPHRASE;
  const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (file) {
    try {
      return fs.readFileSync(file, "utf8").replace(/\r?\n$/, "");
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** AES-256-GCM `v1:<nonce>:<ciphertext+tag>` (base64), as crypt.go symmetricCrypter.DecryptValue. */
export function decryptValue(key: Buffer, value: string): string | undefined {
  const parts = value.split(":");
  if (parts.length !== 3 || parts[0] !== "v1") return undefined;
  try {
    const nonce = Buffer.from(parts[1]!, "base64");
    const sealed = Buffer.from(parts[2]!, "base64");
    if (nonce.length !== 12 || sealed.length < 16) return undefined;
    const decipher = createDecipheriv("aes-256-gcm", key, nonce);
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - 16)),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    return undefined;
  }
}

/** The decrypter of a stack file's secure values, or one that decrypts nothing. */
export function stackDecrypter(encryptionSalt: unknown, env: NodeJS.ProcessEnv = process.env): Decrypt {
  const phrase = passphrase(env);
  if (typeof encryptionSalt !== "string" || phrase === undefined) return () => undefined;
  const splits = encryptionSalt.split(":");
  if (splits.length < 3 || splits[0] !== "v1") return () => undefined;
  const key = pbkdf2Sync(phrase, Buffer.from(splits[1]!, "base64"), 1_000_000, 32, "sha256");
  // manager.go: the salt state ends with "pulumi" encrypted under the key; a wrong passphrase fails it.
  if (decryptValue(key, splits.slice(2).join(":")) !== "pulumi") return () => undefined;
  return (ciphertext) => decryptValue(key, ciphertext);
}

/** Replaces every known secret value in a message by "[secret]". */
export function scrubSecrets(message: string, secretValues: readonly string[]): string {
  let out = message;
  for (const v of [...secretValues].sort((a, b) => b.length - a.length)) {
    if (v.length > 0 && v !== "[secret]") out = out.split(v).join("[secret]");
  }
  return out;
}

/**
 * Reads `{ secure: <ciphertext> }` anywhere in a stack config value: its plaintext where the passphrase
 * decrypts it, else "[secret]". `plaintexts` collects what was decrypted, for `scrubSecrets`.
 */
export function secureValues(encryptionSalt: unknown, env: NodeJS.ProcessEnv = process.env) {
  const decrypt = stackDecrypter(encryptionSalt, env);
  const plaintexts: string[] = [];
  const read = (value: unknown): { value: unknown; secure: boolean } => {
    if (Array.isArray(value)) {
      const items = value.map(read);
      return { value: items.map((i) => i.value), secure: items.some((i) => i.secure) };
    }
    if (value && typeof value === "object") {
      if ("secure" in value && Object.keys(value).length === 1) {
        const ciphertext = (value as { secure: unknown }).secure;
        const plain = typeof ciphertext === "string" ? decrypt(ciphertext) : undefined;
        if (plain !== undefined) plaintexts.push(plain);
        return { value: plain ?? "[secret]", secure: true };
      }
      const entries = Object.entries(value).map(([k, v]) => [k, read(v)] as const);
      return {
        value: Object.fromEntries(entries.map(([k, v]) => [k, v.value])),
        secure: entries.some(([, v]) => v.secure),
      };
    }
    return { value, secure: false };
  };
  return { read, plaintexts };
}
