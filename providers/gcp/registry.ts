/**
 * The site's Artifact Registry Docker repository:
 *
 * - in the site's region, encrypted with the site key (`kmsKeyName`, fixed at creation) after the
 *   Artifact Registry service agent's grant on it;
 * - immutable tags (`dockerConfig.immutableTags`: a tag can never be moved to another image);
 * - vulnerability scanning of pushed images (`INHERITED` from the project, where the Container Scanning
 *   API, enabled here, turns it on);
 * - cleanup: untagged versions are deleted after 14 days, the 10 most recent versions of each package
 *   are always kept;
 * - private: the only IAM grant is `roles/artifactregistry.reader` on this repository to the cluster's
 *   node service account (pull); pushes come from the deployment pipeline's own identity, granted outside.
 *
 * Pull URL: `<region>-docker.pkg.dev/<project>/<repository>`.
 */
import * as pulumi from "@pulumi/pulumi";
import { Repository } from "@pulumi/gcp/artifactregistry/repository";
import { RepositoryIamMember } from "@pulumi/gcp/artifactregistry/repositoryIamMember";
import type { SiteContext } from "../../components/context";
import type { RegistryBuildInputs, RegistryOutputs } from "../../components/cluster";
import { fitName } from "../../components/naming";
import { enableApi } from "./cluster";
import { grantKeyToServiceAgent } from "./keys";

/** Untagged image versions older than this are deleted (14 days). */
export const untaggedRetention = "1209600s";
/** Versions per package that cleanup never deletes. */
export const keepRecentVersions = 10;

export function registry(
  name: string,
  ctx: SiteContext<"gcp">,
  inputs: RegistryBuildInputs<"gcp">,
): RegistryOutputs {
  const { keys, pullIdentity, deletionProtection, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const project = ctx.site.project;
  const region = ctx.site.region;

  const registryApi = enableApi(
    `${name}-api-artifactregistry`,
    project,
    "artifactregistry.googleapis.com",
    opts,
  );
  const scanningApi = enableApi(
    `${name}-api-containerscanning`,
    project,
    "containerscanning.googleapis.com",
    opts,
  );
  const keyGrant = grantKeyToServiceAgent(
    `${name}-agent`,
    project,
    "artifactregistry.googleapis.com",
    keys.cryptoKeyId,
    { ...opts, dependsOn: [registryApi] },
  );

  const repositoryId = fitName("artifactRegistryRepository", [ctx.stack.environment, ctx.role, "images"]);
  const repo = new Repository(
    `${name}-repo`,
    {
      project,
      location: region,
      repositoryId,
      description: `${ctx.stack.environment} ${ctx.role} container images`,
      format: "DOCKER",
      mode: "STANDARD_REPOSITORY",
      kmsKeyName: keys.cryptoKeyId,
      dockerConfig: { immutableTags: true },
      vulnerabilityScanningConfig: { enablementConfig: "INHERITED" },
      cleanupPolicyDryRun: false,
      cleanupPolicies: [
        {
          id: "delete-untagged",
          action: "DELETE",
          condition: { tagState: "UNTAGGED", olderThan: untaggedRetention },
        },
        { id: "keep-recent", action: "KEEP", mostRecentVersions: { keepCount: keepRecentVersions } },
      ],
    },
    {
      ...opts,
      dependsOn: [registryApi, scanningApi, keyGrant],
      ...(deletionProtection ? { protect: true } : {}),
    },
  );
  new RepositoryIamMember(
    `${name}-pull`,
    {
      project,
      location: region,
      repository: repo.name,
      role: "roles/artifactregistry.reader",
      member: pulumi.interpolate`serviceAccount:${pullIdentity}`,
    },
    opts,
  );
  return {
    registryId: repo.id,
    registryUrl: pulumi.output(`${region}-docker.pkg.dev/${project}/${repositoryId}`),
  };
}
