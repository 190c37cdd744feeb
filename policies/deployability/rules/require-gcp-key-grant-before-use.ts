/**
 * A GCP resource created with a customer-managed encryption key (CMEK) needs its service agent to hold
 * `roles/cloudkms.cryptoKeyEncrypterDecrypter` on the key when it is created: Cloud SQL, Cloud Storage,
 * Cloud Logging and Pub/Sub check the grant in the create call. Unless the consumer depends on the IAM
 * grant, the engine creates both at once and the first deploy fails with a permission error.
 */
import { finding } from "../../lib/checks";
import { list, peek } from "../../lib/props";
import { byUrn, dependsOn, knownString, lastSegment, ofTypes, propertyDeps } from "../lib/graph";
import type { Finding, Rule, Subject } from "../lib/rule";

const keyTypes = ["gcp:kms/cryptoKey:CryptoKey"];
const keyRingTypes = ["gcp:kms/keyRing:KeyRing"];
const grantTypes = [
  "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
  "gcp:kms/cryptoKeyIAMBinding:CryptoKeyIAMBinding",
  "gcp:kms/keyRingIAMMember:KeyRingIAMMember",
  "gcp:kms/keyRingIAMBinding:KeyRingIAMBinding",
  "gcp:projects/iAMMember:IAMMember",
  "gcp:projects/iAMBinding:IAMBinding",
];
const encrypterRoles = ["roles/cloudkms.cryptoKeyEncrypterDecrypter"];

interface Consumer {
  readonly type: string;
  readonly path: string;
  /** Domain of the service agent that uses the key, and the service its ServiceIdentity names. */
  readonly agentDomain: string;
  readonly service: string;
  readonly source: string;
}

const consumers: readonly Consumer[] = [
  {
    type: "gcp:sql/databaseInstance:DatabaseInstance",
    path: "encryptionKeyName",
    agentDomain: "gcp-sa-cloud-sql.iam.gserviceaccount.com",
    service: "sqladmin.googleapis.com",
    source: "https://cloud.google.com/sql/docs/postgres/configure-cmek",
  },
  {
    type: "gcp:storage/bucket:Bucket",
    path: "encryption.defaultKmsKeyName",
    agentDomain: "gs-project-accounts.iam.gserviceaccount.com",
    service: "storage.googleapis.com",
    source: "https://cloud.google.com/storage/docs/encryption/using-customer-managed-keys",
  },
  {
    type: "gcp:logging/projectBucketConfig:ProjectBucketConfig",
    path: "cmekSettings.kmsKeyName",
    agentDomain: "gcp-sa-logging.iam.gserviceaccount.com",
    service: "logging.googleapis.com",
    source: "https://cloud.google.com/logging/docs/routing/managed-encryption-storage",
  },
  {
    type: "gcp:redis/instance:Instance",
    path: "customerManagedKey",
    agentDomain: "cloud-redis.iam.gserviceaccount.com",
    service: "redis.googleapis.com",
    source: "https://cloud.google.com/memorystore/docs/redis/use-cmek",
  },
  {
    type: "gcp:filestore/instance:Instance",
    path: "kmsKeyName",
    agentDomain: "cloud-filer.iam.gserviceaccount.com",
    service: "file.googleapis.com",
    source: "https://cloud.google.com/filestore/docs/cmek",
  },
  {
    type: "gcp:pubsub/topic:Topic",
    path: "kmsKeyName",
    agentDomain: "gcp-sa-pubsub.iam.gserviceaccount.com",
    service: "pubsub.googleapis.com",
    source: "https://cloud.google.com/pubsub/docs/encryption",
  },
  {
    type: "gcp:container/cluster:Cluster",
    path: "databaseEncryption.keyName",
    agentDomain: "container-engine-robot.iam.gserviceaccount.com",
    service: "container.googleapis.com",
    source: "https://cloud.google.com/kubernetes-engine/docs/how-to/encrypting-secrets",
  },
  {
    type: "gcp:container/nodePool:NodePool",
    path: "nodeConfig.bootDiskKmsKey",
    agentDomain: "compute-system.iam.gserviceaccount.com",
    service: "compute.googleapis.com",
    source: "https://cloud.google.com/kubernetes-engine/docs/how-to/using-cmek",
  },
  {
    type: "gcp:artifactregistry/repository:Repository",
    path: "kmsKeyName",
    agentDomain: "gcp-sa-artifactregistry.iam.gserviceaccount.com",
    service: "artifactregistry.googleapis.com",
    source: "https://cloud.google.com/artifact-registry/docs/cmek",
  },
];

const sources = [
  {
    url: "https://cloud.google.com/sql/docs/postgres/configure-cmek",
    quote:
      "Grant the Cloud SQL service account the Cloud KMS CryptoKey Encrypter/Decrypter role on the key before you create the instance with CMEK.",
  },
  {
    url: "https://cloud.google.com/storage/docs/encryption/using-customer-managed-keys",
    quote:
      "Before setting a default key on a bucket, give the Cloud Storage service agent the Cloud KMS CryptoKey Encrypter/Decrypter role on the key.",
  },
  {
    url: "https://cloud.google.com/logging/docs/routing/managed-encryption-storage",
    quote:
      "Grant the Logging service account the Cloud KMS CryptoKey Encrypter/Decrypter role on the key before you create a log bucket with CMEK.",
  },
  {
    url: "https://cloud.google.com/memorystore/docs/redis/use-cmek",
    quote:
      "Grant the Memorystore for Redis service account (service-PROJECT_NUMBER@cloud-redis.iam.gserviceaccount.com) the Cloud KMS CryptoKey Encrypter/Decrypter role on the key, then create the instance with CMEK in the key's region.",
  },
  {
    url: "https://cloud.google.com/filestore/docs/cmek",
    quote:
      "Grant the Filestore service agent (service-PROJECT_NUMBER@cloud-filer.iam.gserviceaccount.com) the Cloud KMS CryptoKey Encrypter/Decrypter role on the key before creating an instance with CMEK.",
  },
  {
    url: "https://cloud.google.com/pubsub/docs/encryption",
    quote:
      "The Pub/Sub service agent must have the Cloud KMS CryptoKey Encrypter/Decrypter role on the key used by the topic.",
  },
  {
    url: "https://cloud.google.com/kubernetes-engine/docs/how-to/encrypting-secrets",
    quote:
      "Grant the GKE service agent (service-PROJECT_NUMBER@container-engine-robot.iam.gserviceaccount.com) the Cloud KMS CryptoKey Encrypter/Decrypter role on the key before you create a cluster with application-layer secrets encryption.",
  },
  {
    url: "https://cloud.google.com/kubernetes-engine/docs/how-to/using-cmek",
    quote:
      "To protect node boot disks with a CMEK, grant the Compute Engine service agent (service-PROJECT_NUMBER@compute-system.iam.gserviceaccount.com) the Cloud KMS CryptoKey Encrypter/Decrypter role on the key before creating the node pool.",
  },
  {
    url: "https://cloud.google.com/artifact-registry/docs/cmek",
    quote:
      "Grant the Artifact Registry service agent (service-PROJECT_NUMBER@gcp-sa-artifactregistry.iam.gserviceaccount.com) the CryptoKey Encrypter/Decrypter role on the key before you create a repository with CMEK; the key cannot be changed after the repository is created.",
  },
];

/** The key a consumer uses: by property dependency, else by its full resource name. */
function keyOf(subjects: readonly Subject[], consumer: Subject, path: string): Subject | undefined {
  const keys = ofTypes(subjects, keyTypes);
  const byDep = keys.filter((k) => propertyDeps(consumer, path).includes(k.urn));
  if (byDep.length === 1) return byDep[0];
  const value = knownString(consumer.props, path);
  if (value === undefined) return undefined;
  return keys.find((k) => {
    const ring = knownString(k.props, "keyRing");
    const name = knownString(k.props, "name");
    return ring !== undefined && name !== undefined ? value.startsWith(`${ring}/cryptoKeys/${name}`) : false;
  });
}

function refersToKey(grant: Subject, key: Subject, subjects: readonly Subject[]): boolean {
  const ring = knownString(key.props, "keyRing");
  const name = knownString(key.props, "name");
  const full = ring && name ? `${ring}/cryptoKeys/${name}` : undefined;
  if (grant.type.includes("cryptoKeyIAM")) {
    return (
      propertyDeps(grant, "cryptoKeyId").includes(key.urn) ||
      (full !== undefined && knownString(grant.props, "cryptoKeyId") === full)
    );
  }
  if (grant.type.includes("keyRingIAM")) {
    const rings = ofTypes(subjects, keyRingTypes).filter((r) => propertyDeps(key, "keyRing").includes(r.urn));
    return (
      rings.some((r) => propertyDeps(grant, "keyRingId").includes(r.urn)) ||
      (ring !== undefined && knownString(grant.props, "keyRingId") === ring)
    );
  }
  return true; // project-level grant covers every key of the project
}

/** True when the grant's member(s) can be the consumer's service agent. */
function grantsAgent(grant: Subject, consumer: Consumer, subjects: readonly Subject[]): boolean {
  const index = byUrn(subjects);
  const memberPath = grant.type.endsWith("Binding") ? "members" : "member";
  const agents = propertyDeps(grant, memberPath)
    .map((u) => index.get(u))
    .filter((s): s is Subject => s?.type === "gcp:projects/serviceIdentity:ServiceIdentity");
  if (agents.length > 0) return agents.some((a) => knownString(a.props, "service") === consumer.service);
  const members = list(peek(grant.props, memberPath));
  const known = members.filter((m): m is string => typeof m === "string" && m.includes("@"));
  if (known.length === 0) return true; // computed member: cannot tell which agent, do not accuse
  return known.some((m) => m.toLowerCase().endsWith(`@${consumer.agentDomain}`));
}

export const requireGcpKeyGrantBeforeUse: Rule = {
  id: "require-gcp-key-grant-before-use",
  title: "GCP resources using a customer-managed key depend on the key grant to their service agent",
  category: "ordering",
  severity: "critical",
  refuses:
    "Cloud SQL, Cloud Storage, Cloud Logging, Memorystore for Redis, Filestore, Pub/Sub, GKE (secrets encryption, node boot disks) and Artifact Registry refuse to create a CMEK-encrypted resource when their service agent does not yet hold roles/cloudkms.cryptoKeyEncrypterDecrypter on the key.",
  remediation:
    "Grant the service agent (gcp.projects.ServiceIdentity or the documented agent address) roles/cloudkms.cryptoKeyEncrypterDecrypter on the key and give the consumer `dependsOn` on that grant.",
  sources,
  stackTypes: { gcp: [...consumers.map((c) => c.type), ...keyTypes, ...grantTypes] },
  stack: (subjects) => {
    const out: Finding[] = [];
    for (const c of consumers) {
      for (const consumer of ofTypes(subjects, [c.type])) {
        const key = keyOf(subjects, consumer, c.path);
        if (!key) continue; // no CMEK, or a key outside this stack
        const grants = ofTypes(subjects, grantTypes).filter(
          (g) =>
            encrypterRoles.includes(knownString(g.props, "role") ?? "") &&
            refersToKey(g, key, subjects) &&
            grantsAgent(g, c, subjects),
        );
        const label = `key '${knownString(key.props, "name") ?? lastSegment(key.name)}' to the ${c.agentDomain} service agent`;
        if (grants.length === 0) {
          out.push(
            finding(
              consumer,
              `${c.path} uses a customer-managed key, but no grant in the stack gives ${label}. Source: ${c.source}`,
            ),
          );
        } else if (!grants.some((g) => dependsOn(subjects, consumer, g))) {
          out.push(
            finding(
              consumer,
              `does not depend on the grant of ${label} (${grants.map((g) => g.name).join(", ")}): it may be created before the agent can use the key. Source: ${c.source}`,
            ),
          );
        }
      }
    }
    return out;
  },
};
