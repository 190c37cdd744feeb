/**
 * The stack's outputs: the API downstream stacks read with `StackReference`.
 *
 * One object per site role (`sites.primary`, `sites.secondary`), the same shape on every cloud, so an
 * application stack can read, say, `sites.primary.database.host` without knowing which cloud the
 * platform put it on. No secret is exported in clear: the database is reached with the cloud's identity
 * (`auth.method`) and, where a credential exists at all, `auth.credentialRef` names the secret store
 * entry that holds it. The README's "Stack outputs" table documents every field; a test keeps it true.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Severity, SiteRole, StackConfig } from "./config";
import { severities } from "./config";
import type { Cloud } from "./regions";
import type { NetworkTier } from "./subnets";
import { networkTiers } from "./subnets";

/** How applications authenticate to the site's database, per cloud. */
export const databaseAuthMethods = {
  /**
   * RDS: a generated master password kept in a Secrets Manager secret encrypted with the site key
   * (credentialRef is the secret ARN); through the pooler, IAM authentication only.
   */
  aws: "secrets-manager",
  /** Azure: Microsoft Entra ID tokens only (password authentication is disabled). */
  azure: "entra-id",
  /** Cloud SQL: IAM database authentication (Cloud SQL Auth Proxy or connectors). */
  gcp: "cloud-sql-iam",
} as const satisfies Record<Cloud, string>;

/** A database endpoint as exported: private host name (or IP) and port, TLS required. */
export interface EndpointOutput {
  readonly host: pulumi.Output<string>;
  readonly port: number;
}

/** What a site exports; every value an Output resolved at deploy time. */
export interface SiteStackOutputs {
  readonly role: SiteRole;
  readonly cloud: Cloud;
  readonly region: string;
  readonly network: {
    readonly id: pulumi.Output<string>;
    readonly addressSpace: string;
    readonly subnetIds: Readonly<Record<NetworkTier, pulumi.Output<string>[]>>;
  };
  readonly database: {
    readonly host: pulumi.Output<string>;
    readonly port: number;
    readonly name: pulumi.Output<string>;
    readonly auth: { readonly method: string; readonly credentialRef: pulumi.Output<string> };
    /**
     * Writer (the primary), reader (the first read replica) and pooler (the connection pooler); `null`
     * where the site has no replica or no pooler.
     */
    readonly endpoints: {
      readonly writer: EndpointOutput;
      readonly reader: EndpointOutput | null;
      readonly pooler: EndpointOutput | null;
    };
  };
  readonly objectStore: { readonly name: pulumi.Output<string>; readonly endpoint: pulumi.Output<string> };
  /** The shared NFS file system: what clients mount, with which NFS version; whether it is in the vault. */
  readonly fileStorage: {
    readonly id: pulumi.Output<string>;
    readonly mountTarget: pulumi.Output<string>;
    readonly nfsVersion: string;
    readonly vaultedBackup: boolean;
  };
  /**
   * The site's Kubernetes cluster: what a deployment stack needs to reach it and to federate workload
   * identities (`oidcIssuer`). Its kubeconfig is the stack output `kubeconfigs.<role>` (a secret on its own,
   * so that `sites` stays readable without decrypting).
   */
  readonly cluster: {
    readonly name: pulumi.Output<string>;
    readonly id: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly version: string;
    readonly oidcIssuer: pulumi.Output<string>;
    readonly namespaces: readonly string[];
  };
  /** The site's private container registry (pull granted to the cluster's nodes only). */
  readonly registry: { readonly id: pulumi.Output<string>; readonly url: pulumi.Output<string> };
  /** The immutable backup vault (and its copy vault, `null` where there is none). */
  readonly backup: {
    readonly vaultId: pulumi.Output<string>;
    readonly copyVaultId: pulumi.Output<string> | null;
    readonly retentionDays: number;
    readonly immutableLocked: boolean;
    readonly restoreTesting: boolean;
  };
  readonly keys: { readonly siteKeyId: pulumi.Output<string>; readonly hsmBacked: boolean };
  readonly monitoring: {
    readonly logSinkId: pulumi.Output<string>;
    readonly alertTargets: Readonly<Record<Severity, pulumi.Output<string[]>>>;
  };
  /** The site's edge ingress (where the stack has `platform:edge`): what the DNS failover points at. */
  readonly ingress?: {
    readonly publicEndpoint: pulumi.Output<string>;
    readonly publicEndpointKind: "ip" | "hostname";
    readonly hostname: string;
    readonly healthCheckPath: string;
    readonly wafPolicyId: pulumi.Output<string>;
  };
  /** Audit trail, threat detection and budget (components/governance.ts). */
  readonly governance: {
    readonly auditTrailId: pulumi.Output<string>;
    readonly auditDestination: pulumi.Output<string>;
    readonly threatDetectionIds: pulumi.Output<string[]>;
    /** Why threat detection is partial on this cloud; `null` where it is not. */
    readonly threatDetectionNote: string | null;
    /** `null` when the stack sets no budget. */
    readonly budgetId: pulumi.Output<string> | null;
  };
  /** The site's dashboard (components/dashboard.ts). */
  readonly dashboard: { readonly id: pulumi.Output<string>; readonly url: pulumi.Output<string> };
  /** The synthetic check of `platform:synthetics`; `null` when the stack sets none. */
  readonly synthetics: {
    readonly checkId: pulumi.Output<string>;
    readonly alertIds: pulumi.Output<string>[];
  } | null;
}

/** The parts of a Site the outputs read (structural, so this module imports no component class). */
export interface SiteLike {
  readonly role: SiteRole;
  readonly cloud: Cloud;
  readonly region: string;
  readonly keys: { readonly keyId: pulumi.Output<string>; readonly hsmBacked: boolean };
  readonly network: {
    readonly networkId: pulumi.Output<string>;
    readonly plan: { readonly addressSpace: string };
    readonly subnetIds: Readonly<Record<NetworkTier, pulumi.Output<string>[]>>;
  };
  readonly database: {
    readonly host: pulumi.Output<string>;
    readonly port: number;
    readonly databaseName: pulumi.Output<string>;
    readonly adminCredentialRef: pulumi.Output<string>;
    readonly endpoints: {
      readonly writer: EndpointOutput;
      readonly reader: EndpointOutput | undefined;
      readonly pooler: EndpointOutput | undefined;
    };
  };
  readonly storage: { readonly storeName: pulumi.Output<string>; readonly endpoint: pulumi.Output<string> };
  readonly cluster: {
    readonly clusterName: pulumi.Output<string>;
    readonly clusterId: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly version: string;
    readonly oidcIssuer: pulumi.Output<string>;
    readonly kubeconfig: pulumi.Output<string>;
    readonly settings: { readonly namespaces: readonly string[] };
  };
  readonly registry: {
    readonly registryId: pulumi.Output<string>;
    readonly registryUrl: pulumi.Output<string>;
  };
  readonly fileStore: {
    readonly fileSystemId: pulumi.Output<string>;
    readonly mountTarget: pulumi.Output<string>;
    readonly nfsVersion: string;
  };
  readonly backup: {
    readonly vaultId: pulumi.Output<string>;
    readonly copyVaultId: pulumi.Output<string> | undefined;
    readonly retentionDays: number;
    readonly immutableLocked: boolean;
    readonly restoreTesting: boolean;
    readonly fileSystemInVault: boolean;
  };
  readonly monitoring: {
    readonly logSinkId: pulumi.Output<string>;
    readonly alertTargets: Readonly<Record<Severity, pulumi.Output<string[]>>>;
  };
  readonly ingress?:
    | {
        readonly publicEndpoint: pulumi.Output<string>;
        readonly publicEndpointKind: "ip" | "hostname";
        readonly hostname: string;
        readonly healthCheckPath: string;
        readonly wafPolicyId: pulumi.Output<string>;
      }
    | undefined;
  readonly governance: {
    readonly auditTrailId: pulumi.Output<string>;
    readonly auditDestination: pulumi.Output<string>;
    readonly threatDetectionIds: pulumi.Output<string[]>;
    readonly threatDetectionNote: string | undefined;
    readonly budgetId: pulumi.Output<string> | undefined;
  };
  readonly dashboard: {
    readonly dashboardId: pulumi.Output<string>;
    readonly dashboardUrl: pulumi.Output<string>;
  };
  readonly synthetics:
    { readonly checkId: pulumi.Output<string>; readonly alertIds: pulumi.Output<string>[] } | undefined;
}

function endpointOutput(e: EndpointOutput): EndpointOutput {
  return { host: e.host, port: e.port };
}

export function siteOutputs(site: SiteLike): SiteStackOutputs {
  return {
    role: site.role,
    cloud: site.cloud,
    region: site.region,
    network: {
      id: site.network.networkId,
      addressSpace: site.network.plan.addressSpace,
      subnetIds: Object.fromEntries(networkTiers.map((t) => [t, site.network.subnetIds[t]])) as Record<
        NetworkTier,
        pulumi.Output<string>[]
      >,
    },
    database: {
      host: site.database.host,
      port: site.database.port,
      name: site.database.databaseName,
      auth: { method: databaseAuthMethods[site.cloud], credentialRef: site.database.adminCredentialRef },
      endpoints: {
        writer: endpointOutput(site.database.endpoints.writer),
        reader: site.database.endpoints.reader ? endpointOutput(site.database.endpoints.reader) : null,
        pooler: site.database.endpoints.pooler ? endpointOutput(site.database.endpoints.pooler) : null,
      },
    },
    objectStore: { name: site.storage.storeName, endpoint: site.storage.endpoint },
    fileStorage: {
      id: site.fileStore.fileSystemId,
      mountTarget: site.fileStore.mountTarget,
      nfsVersion: site.fileStore.nfsVersion,
      vaultedBackup: site.backup.fileSystemInVault,
    },
    backup: {
      vaultId: site.backup.vaultId,
      copyVaultId: site.backup.copyVaultId ?? null,
      retentionDays: site.backup.retentionDays,
      immutableLocked: site.backup.immutableLocked,
      restoreTesting: site.backup.restoreTesting,
    },
    cluster: {
      name: site.cluster.clusterName,
      id: site.cluster.clusterId,
      endpoint: site.cluster.endpoint,
      version: site.cluster.version,
      oidcIssuer: site.cluster.oidcIssuer,
      namespaces: site.cluster.settings.namespaces,
    },
    registry: { id: site.registry.registryId, url: site.registry.registryUrl },
    keys: { siteKeyId: site.keys.keyId, hsmBacked: site.keys.hsmBacked },
    monitoring: {
      logSinkId: site.monitoring.logSinkId,
      alertTargets: Object.fromEntries(severities.map((s) => [s, site.monitoring.alertTargets[s]])) as Record<
        Severity,
        pulumi.Output<string[]>
      >,
    },
    ...(site.ingress
      ? {
          ingress: {
            publicEndpoint: site.ingress.publicEndpoint,
            publicEndpointKind: site.ingress.publicEndpointKind,
            hostname: site.ingress.hostname,
            healthCheckPath: site.ingress.healthCheckPath,
            wafPolicyId: site.ingress.wafPolicyId,
          },
        }
      : {}),
    governance: {
      auditTrailId: site.governance.auditTrailId,
      auditDestination: site.governance.auditDestination,
      threatDetectionIds: site.governance.threatDetectionIds,
      threatDetectionNote: site.governance.threatDetectionNote ?? null,
      budgetId: site.governance.budgetId ?? null,
    },
    dashboard: { id: site.dashboard.dashboardId, url: site.dashboard.dashboardUrl },
    synthetics: site.synthetics
      ? { checkId: site.synthetics.checkId, alertIds: site.synthetics.alertIds }
      : null,
  };
}

/** The stack's outputs. `sites` is keyed by role; `secondary` is absent on single-site stacks. */
export interface StackOutputs {
  readonly environment: string;
  readonly production: boolean;
  readonly sites: { readonly primary: SiteStackOutputs; readonly secondary?: SiteStackOutputs };
  /**
   * Per site, the cluster's kubeconfig as a Pulumi secret (exec authentication through the cloud's
   * credential plugin: aws eks get-token, kubelogin, gke-gcloud-auth-plugin; no static credential).
   */
  readonly kubeconfigs: {
    readonly primary: pulumi.Output<string>;
    readonly secondary?: pulumi.Output<string>;
  };
}

export function stackOutputs(config: StackConfig, primary: SiteLike, secondary?: SiteLike): StackOutputs {
  return {
    environment: config.environment,
    production: config.production,
    sites: { primary: siteOutputs(primary), ...(secondary ? { secondary: siteOutputs(secondary) } : {}) },
    kubeconfigs: {
      primary: primary.cluster.kubeconfig,
      ...(secondary ? { secondary: secondary.cluster.kubeconfig } : {}),
    },
  };
}
