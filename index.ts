/**
 * Entry point. Reads and validates the stack config (stopping before any resource on a problem),
 * registers the required-tags transform, then builds one Site per role. The exported function is what
 * `pulumi up` runs, and what the offline plan harness runs under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, parseStackConfig, rawConfigObject, type SiteRole } from "./components/config";
import { Site, replicationSite } from "./components/site";
import { registerRequiredTags } from "./components/tags";
import { Replication } from "./components/replication";
import { replicationImplementations } from "./providers/replication";
import * as random from "@pulumi/random";

export = async function main(): Promise<Record<string, unknown>> {
  const parsed = parseStackConfig(rawConfigObject(pulumi.runtime.allConfig()));
  if (!parsed.ok) {
    // RunError: Pulumi prints the message without a stack trace.
    throw new pulumi.RunError(new ConfigError(parsed.problems).message);
  }
  const config = parsed.config;
  const providerRoles = new Map<string, SiteRole>([
    ["primary", "primary"],
    ["secondary", "secondary"],
  ]);
  registerRequiredTags(config, providerRoles);

  const sites: Site[] = [new Site("primary", { role: "primary", stack: config, site: config.primary })];
  if (config.secondary) {
    sites.push(new Site("secondary", { role: "secondary", stack: config, site: config.secondary }));
  }
  // Cross-cloud replication of the primary's objects and database into the secondary (stack-level).
  const [primary, secondary] = sites;
  const replication =
    primary && secondary
      ? new Replication("replication", {
          primary: replicationSite(primary),
          secondary: replicationSite(secondary),
          implementations: replicationImplementations,
          randomProvider: new random.Provider("replication-random"),
          environment: config.environment,
        })
      : undefined;
  return {
    environment: config.environment,
    sites: sites.map((s) => ({ role: s.role, cloud: s.cloud, region: s.region, keyId: s.keys.keyId })),
    ...(replication
      ? {
          replication: {
            objectsJob: replication.objects?.jobId,
            databaseJob: replication.database.jobId,
            mechanisms: replication.mechanisms,
            gaps: replication.gaps,
            steps: replication.steps,
          },
        }
      : {}),
  };
};
