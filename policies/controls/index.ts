/** Every control of the pack, in catalog order. One control per module, named by what it requires. */
import type { Control } from "../lib/types";
import { disallowPlaintextDatabasePasswords } from "./disallow-plaintext-database-passwords";
import { enableKeyRotation } from "./enable-key-rotation";
import { enforceBucketDenyInsecureTransport } from "./enforce-bucket-deny-insecure-transport";
import { enforceCacheEncryptionCmk } from "./enforce-cache-encryption-cmk";
import { enforceDatabaseEncryptionCmk } from "./enforce-database-encryption-cmk";
import { enforceDiskEncryptionCmk } from "./enforce-disk-encryption-cmk";
import { enforceHsmBackedKeys } from "./enforce-hsm-backed-keys";
import { enforceKeyDeletionProtection } from "./enforce-key-deletion-protection";
import { enforceLogEncryptionCmk } from "./enforce-log-encryption-cmk";
import { enforceMessagingEncryptionCmk } from "./enforce-messaging-encryption-cmk";
import { enforceSecretsEncryptionCmk } from "./enforce-secrets-encryption-cmk";
import { enforceStorageEncryptionCmk } from "./enforce-storage-encryption-cmk";
import { enforceTlsInTransit } from "./enforce-tls-in-transit";
import { enforceTlsMinimumVersion } from "./enforce-tls-minimum-version";

export const controls: readonly Control[] = [
  // Data protection
  enforceStorageEncryptionCmk,
  enforceDatabaseEncryptionCmk,
  enforceCacheEncryptionCmk,
  enforceDiskEncryptionCmk,
  enforceLogEncryptionCmk,
  enforceMessagingEncryptionCmk,
  enforceSecretsEncryptionCmk,
  enforceTlsMinimumVersion,
  enforceTlsInTransit,
  enforceBucketDenyInsecureTransport,
  enableKeyRotation,
  enforceHsmBackedKeys,
  enforceKeyDeletionProtection,
  disallowPlaintextDatabasePasswords,
];
