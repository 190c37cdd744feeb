/**
 * Entry point. Reads and validates the stack config (stopping before any resource on a problem),
 * registers the required-tags transform, then builds one Site per role. The exported function is what
 * `pulumi up` runs, and what the offline plan harness runs under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, parseStackConfig, rawConfigObject, type SiteRole } from "./components/config";
import { stackOutputs } from "./components/outputs";
import { Site } from "./components/site";
import { registerRequiredTags } from "./components/tags";

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

  const primary = new Site("primary", { role: "primary", stack: config, site: config.primary });
  const secondary = config.secondary
    ? new Site("secondary", { role: "secondary", stack: config, site: config.secondary })
    : undefined;
  // The API of this stack for downstream stacks (StackReference): see "Stack outputs" in the README.
  return { ...stackOutputs(config, primary, secondary) };
};
