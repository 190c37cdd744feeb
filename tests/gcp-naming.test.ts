import { strict as assert } from "node:assert";
import { nameProblem, type NameKind } from "../components/naming";
import type { Plan, PlanResource } from "../tools/harness";
import { planOf } from "./helpers";

/** The naming rule each GCP resource type's name (and the input holding it) must satisfy. */
const gcpNameInputs: Record<string, { input: string; kind: NameKind }> = {
  "gcp:compute/network:Network": { input: "name", kind: "gcpName" },
  "gcp:compute/subnetwork:Subnetwork": { input: "name", kind: "gcpName" },
  "gcp:compute/route:Route": { input: "name", kind: "gcpName" },
  "gcp:compute/firewall:Firewall": { input: "name", kind: "gcpName" },
  "gcp:compute/router:Router": { input: "name", kind: "gcpName" },
  "gcp:compute/routerNat:RouterNat": { input: "name", kind: "gcpName" },
  "gcp:compute/haVpnGateway:HaVpnGateway": { input: "name", kind: "gcpName" },
  "gcp:compute/externalVpnGateway:ExternalVpnGateway": { input: "name", kind: "gcpName" },
  "gcp:compute/vPNTunnel:VPNTunnel": { input: "name", kind: "gcpName" },
  "gcp:compute/routerInterface:RouterInterface": { input: "name", kind: "gcpName" },
  "gcp:compute/routerPeer:RouterPeer": { input: "name", kind: "gcpName" },
  "gcp:compute/globalAddress:GlobalAddress": { input: "name", kind: "gcpName" },
  // Edge ingress and CDN (providers/gcp/ingress.ts, cdn.ts): global load balancer pieces (RFC 1035 names).
  "gcp:compute/uRLMap:URLMap": { input: "name", kind: "gcpName" },
  "gcp:compute/sSLPolicy:SSLPolicy": { input: "name", kind: "gcpName" },
  "gcp:compute/managedSslCertificate:ManagedSslCertificate": { input: "name", kind: "gcpName" },
  "gcp:compute/healthCheck:HealthCheck": { input: "name", kind: "gcpName" },
  "gcp:compute/targetHttpProxy:TargetHttpProxy": { input: "name", kind: "gcpName" },
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy": { input: "name", kind: "gcpName" },
  "gcp:compute/securityPolicy:SecurityPolicy": { input: "name", kind: "gcpName" },
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": { input: "name", kind: "gcpName" },
  "gcp:compute/backendService:BackendService": { input: "name", kind: "gcpName" },
  "gcp:compute/backendBucket:BackendBucket": { input: "name", kind: "gcpName" },
  "gcp:compute/backendBucketSignedUrlKey:BackendBucketSignedUrlKey": { input: "name", kind: "gcpName" },
  "gcp:dns/managedZone:ManagedZone": { input: "name", kind: "gcpName" },
  "gcp:kms/keyRing:KeyRing": { input: "name", kind: "gcpKms" },
  "gcp:kms/cryptoKey:CryptoKey": { input: "name", kind: "gcpKms" },
  "gcp:logging/projectBucketConfig:ProjectBucketConfig": { input: "bucketId", kind: "gcpLogging" },
  "gcp:logging/projectSink:ProjectSink": { input: "name", kind: "gcpLogging" },
  "gcp:logging/projectExclusion:ProjectExclusion": { input: "name", kind: "gcpLogging" },
  "gcp:storage/bucket:Bucket": { input: "name", kind: "gcsBucket" },
  "gcp:sql/databaseInstance:DatabaseInstance": { input: "name", kind: "gcpSqlInstance" },
  "gcp:redis/instance:Instance": { input: "name", kind: "gcpRedisInstance" },
  "gcp:filestore/instance:Instance": { input: "name", kind: "gcpFilestoreInstance" },
  "gcp:serviceaccount/account:Account": { input: "accountId", kind: "gcpServiceAccount" },
  "gcp:container/cluster:Cluster": { input: "name", kind: "gkeName" },
  "gcp:container/nodePool:NodePool": { input: "name", kind: "gkeName" },
  "gcp:artifactregistry/repository:Repository": { input: "repositoryId", kind: "artifactRegistryRepository" },
  // Cross-cloud replication. Secret ids ([a-zA-Z0-9_-]{1,255}) and Database Migration Service ids (RFC 1035
  // resource ids) are derived as RFC 1035 names, which fit both.
  "gcp:secretmanager/secret:Secret": { input: "secretId", kind: "gcpName" },
  "gcp:databasemigrationservice/connectionProfile:ConnectionProfile": {
    input: "connectionProfileId",
    kind: "gcpName",
  },
  "gcp:databasemigrationservice/migrationJob:MigrationJob": { input: "migrationJobId", kind: "gcpName" },
};
/**
 * GCP types whose `name` is not ours to fit: DNS record names, the PostgreSQL database name and the
 * PostgreSQL role of a Cloud SQL user (a role name, not a resource name). Storage Transfer jobs are left
 * unnamed (the service generates `transferJobs/<id>`).
 */
const notNames = new Set(["gcp:dns/recordSet:RecordSet", "gcp:sql/database:Database", "gcp:sql/user:User"]);
/** Names the cloud keeps after deletion (key rings, keys) or for a week (Cloud SQL, log buckets), or global (GCS). */
const suffixed = new Set([
  "gcp:kms/keyRing:KeyRing",
  "gcp:logging/projectBucketConfig:ProjectBucketConfig",
  "gcp:storage/bucket:Bucket",
  "gcp:sql/databaseInstance:DatabaseInstance",
]);

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Every name a GCP resource of the plan is given, with the rule it must satisfy. */
function gcpNames(plan: Plan): { resource: PlanResource; kind: NameKind; name: string }[] {
  const out: { resource: PlanResource; kind: NameKind; name: string }[] = [];
  for (const r of plan.resources.filter((x) => x.custom && x.type.startsWith("gcp:"))) {
    const rule = gcpNameInputs[r.type];
    if (rule) out.push({ resource: r, kind: rule.kind, name: str(r.inputs[rule.input]) });
    else if (!notNames.has(r.type) && (r.inputs.name !== undefined || r.inputs.accountId !== undefined)) {
      assert.fail(`${r.type} (${r.name}) has a name but no naming rule in this test`);
    }
    // Network tags are RFC 1035 names too (firewall targets and sources, route tags).
    for (const key of ["targetTags", "sourceTags", "tags"]) {
      if (!r.type.startsWith("gcp:compute/")) continue;
      for (const t of list(r.inputs[key])) out.push({ resource: r, kind: "gcpName", name: str(t) });
    }
  }
  return out;
}

describe("every GCP name fits its type's rules, for the longest and the oddest environment names", function () {
  this.timeout(120_000);
  for (const [stack, file, environment] of [
    ["names-gcp-long", "Pulumi.names-gcp-long.yaml", "abcdefghijklmnop"],
    ["names-gcp-hyphens", "Pulumi.names-gcp-hyphens.yaml", "a--b"],
    ["dev", undefined, "dev"],
  ] as const) {
    describe(`environment '${environment}' (${stack})`, () => {
      let plan: Plan;
      before(async () => {
        plan = await planOf(stack, file);
      });

      it("gives every GCP resource and network tag a name its type accepts", () => {
        const names = gcpNames(plan);
        assert.ok(names.length >= 30, `only ${names.length} names found`);
        const problems = names
          .map(({ resource, kind, name }) => {
            const problem = nameProblem(kind, name);
            return problem ? `${resource.type} ${resource.name}: '${name}' (${kind}): ${problem}` : "";
          })
          .filter((p) => p !== "");
        assert.deepEqual(problems, []);
      });

      it("keeps names distinct within a type (and tags distinct per tier)", () => {
        const byType = new Map<string, Set<string>>();
        for (const { resource, name } of gcpNames(plan).filter((n) => n.resource.inputs.name === n.name)) {
          const key = `${resource.type}|${str(resource.inputs.project)}`;
          const seen = byType.get(key) ?? new Set<string>();
          // Keys are unique per ring: the same key name in two rings is fine.
          if (resource.type !== "gcp:kms/cryptoKey:CryptoKey") {
            assert.ok(!seen.has(name), `${resource.type} name '${name}' used twice`);
          }
          seen.add(name);
          byType.set(key, seen);
        }
      });

      it("gives key rings, Cloud SQL instances and buckets the site's random suffix", () => {
        const suffixes = plan.resources
          .filter((r) => r.type === "random:index/randomString:RandomString" && r.name.endsWith("-suffix"))
          .map((r) => str(r.outputs.result));
        assert.ok(suffixes.length >= 1 && suffixes.every((s) => /^[a-z0-9]{6}$/.test(s)));
        const found = gcpNames(plan).filter(
          ({ resource, name }) => suffixed.has(resource.type) && name !== "",
        );
        assert.ok(found.some((f) => f.resource.type === "gcp:kms/keyRing:KeyRing"));
        for (const { resource, name } of found) {
          assert.ok(
            suffixes.some((s) => name.endsWith(`-${s}`)),
            `${resource.type} ${resource.name}: '${name}' lacks the random suffix`,
          );
        }
      });
    });
  }
});
