/**
 * The regions this platform can place a site in, per cloud, with the number of availability zones each
 * offers. Stack config is validated against this catalog (an unknown region is a typo until proven
 * otherwise), and the network component refuses a zone count above the region's.
 *
 * Sources: each cloud's published region and zone lists (AWS "Regions and Availability Zones",
 * Azure "Azure regions with availability zone support", Google Cloud "Regions and zones").
 * Add a region here when a stack needs it.
 */
export const clouds = ["aws", "azure", "gcp"] as const;
export type Cloud = (typeof clouds)[number];

export interface RegionInfo {
  /** Availability zones usable for zonal resources. */
  readonly zones: readonly string[];
  /** Where the region is: used by data-residency rules (GDPR: EU/EEA, LFPDPPP: Mexico). */
  readonly geography: Geography;
  /**
   * The region the cloud pairs this one with for replicas and geo-redundant backups, when the cloud has
   * one in the same geography (AWS and GCP: our choice of the nearest region of the same jurisdiction;
   * Azure: the fixed region pair, which geo-redundant storage always uses). Undefined where the
   * geography has no second region: replication out of the jurisdiction must then be asked for
   * explicitly (`replicaRegion` in the site config).
   */
  readonly pair?: string;
}

export type Geography = "us" | "eu" | "uk" | "mx" | "ca" | "br" | "cl" | "apac";

function awsZones(region: string, letters: string): string[] {
  return [...letters].map((l) => `${region}${l}`);
}
function gcpZones(region: string, letters: string): string[] {
  return [...letters].map((l) => `${region}-${l}`);
}
/** Azure zones are logical numbers per subscription. */
const azureThree = ["1", "2", "3"] as const;

export const regions: { readonly [C in Cloud]: Readonly<Record<string, RegionInfo>> } = {
  aws: {
    "us-east-1": { zones: awsZones("us-east-1", "abcdef"), geography: "us", pair: "us-west-2" },
    "us-east-2": { zones: awsZones("us-east-2", "abc"), geography: "us", pair: "us-west-2" },
    "us-west-2": { zones: awsZones("us-west-2", "abcd"), geography: "us", pair: "us-east-1" },
    "ca-central-1": { zones: awsZones("ca-central-1", "abd"), geography: "ca", pair: "ca-west-1" },
    "ca-west-1": { zones: awsZones("ca-west-1", "abc"), geography: "ca", pair: "ca-central-1" },
    "mx-central-1": { zones: awsZones("mx-central-1", "abc"), geography: "mx" },
    "sa-east-1": { zones: awsZones("sa-east-1", "abc"), geography: "br" },
    "eu-west-1": { zones: awsZones("eu-west-1", "abc"), geography: "eu", pair: "eu-central-1" },
    "eu-west-2": { zones: awsZones("eu-west-2", "abc"), geography: "uk" },
    "eu-west-3": { zones: awsZones("eu-west-3", "abc"), geography: "eu", pair: "eu-central-1" },
    "eu-central-1": { zones: awsZones("eu-central-1", "abc"), geography: "eu", pair: "eu-west-1" },
    "eu-north-1": { zones: awsZones("eu-north-1", "abc"), geography: "eu", pair: "eu-central-1" },
    "ap-southeast-1": { zones: awsZones("ap-southeast-1", "abc"), geography: "apac", pair: "ap-northeast-1" },
    "ap-northeast-1": { zones: awsZones("ap-northeast-1", "acd"), geography: "apac", pair: "ap-southeast-1" },
  },
  azure: {
    eastus: { zones: azureThree, geography: "us", pair: "westus" },
    westus: { zones: [], geography: "us", pair: "eastus" },
    eastus2: { zones: azureThree, geography: "us", pair: "centralus" },
    centralus: { zones: azureThree, geography: "us", pair: "eastus2" },
    westus2: { zones: azureThree, geography: "us", pair: "westcentralus" },
    westcentralus: { zones: [], geography: "us", pair: "westus2" },
    westus3: { zones: azureThree, geography: "us", pair: "eastus" },
    northcentralus: { zones: [], geography: "us", pair: "southcentralus" },
    southcentralus: { zones: azureThree, geography: "us", pair: "northcentralus" },
    canadacentral: { zones: azureThree, geography: "ca", pair: "canadaeast" },
    canadaeast: { zones: [], geography: "ca", pair: "canadacentral" },
    mexicocentral: { zones: azureThree, geography: "mx" },
    brazilsouth: { zones: azureThree, geography: "br", pair: "southcentralus" },
    westeurope: { zones: azureThree, geography: "eu", pair: "northeurope" },
    northeurope: { zones: azureThree, geography: "eu", pair: "westeurope" },
    germanywestcentral: { zones: azureThree, geography: "eu", pair: "germanynorth" },
    germanynorth: { zones: [], geography: "eu", pair: "germanywestcentral" },
    francecentral: { zones: azureThree, geography: "eu", pair: "francesouth" },
    francesouth: { zones: [], geography: "eu", pair: "francecentral" },
    swedencentral: { zones: azureThree, geography: "eu", pair: "swedensouth" },
    swedensouth: { zones: [], geography: "eu", pair: "swedencentral" },
    uksouth: { zones: azureThree, geography: "uk", pair: "ukwest" },
    ukwest: { zones: [], geography: "uk", pair: "uksouth" },
  },
  gcp: {
    "us-central1": { zones: gcpZones("us-central1", "abcf"), geography: "us", pair: "us-east1" },
    "us-east1": { zones: gcpZones("us-east1", "bcd"), geography: "us", pair: "us-central1" },
    "us-east4": { zones: gcpZones("us-east4", "abc"), geography: "us", pair: "us-central1" },
    "us-west1": { zones: gcpZones("us-west1", "abc"), geography: "us", pair: "us-central1" },
    "northamerica-northeast1": {
      zones: gcpZones("northamerica-northeast1", "abc"),
      geography: "ca",
      pair: "northamerica-northeast2",
    },
    "northamerica-northeast2": {
      zones: gcpZones("northamerica-northeast2", "abc"),
      geography: "ca",
      pair: "northamerica-northeast1",
    },
    "northamerica-south1": { zones: gcpZones("northamerica-south1", "abc"), geography: "mx" },
    "southamerica-east1": { zones: gcpZones("southamerica-east1", "abc"), geography: "br" },
    "southamerica-west1": { zones: gcpZones("southamerica-west1", "abc"), geography: "cl" },
    "europe-west1": { zones: gcpZones("europe-west1", "bcd"), geography: "eu", pair: "europe-west4" },
    "europe-west3": { zones: gcpZones("europe-west3", "abc"), geography: "eu", pair: "europe-west4" },
    "europe-west4": { zones: gcpZones("europe-west4", "abc"), geography: "eu", pair: "europe-west1" },
    "europe-north1": { zones: gcpZones("europe-north1", "abc"), geography: "eu", pair: "europe-west4" },
    "europe-west2": { zones: gcpZones("europe-west2", "abc"), geography: "uk" },
  },
};

/** The catalog entry of a region, or undefined when the region is unknown for that cloud. */
export function regionInfo(cloud: Cloud, region: string): RegionInfo | undefined {
  return Object.prototype.hasOwnProperty.call(regions[cloud], region) ? regions[cloud][region] : undefined;
}

/**
 * Where a site's replicas and geo-redundant backups go.
 *
 * - `configured` (the site's `replicaRegion`) wins: the stack says explicitly where data may go, even out
 *   of the site's geography (LFPDPPP and GDPR allow transfers the privacy notice or an adequacy decision
 *   covers; the stack owner decides, the policy pack's residency control still judges the result).
 *   On Azure it must be the fixed pair: geo-redundant storage cannot replicate anywhere else.
 * - otherwise the region's pair in the same geography;
 * - otherwise none, with the reason (the config schema turns it into an error where replicas are needed).
 */
export function replicaRegionOf(
  cloud: Cloud,
  region: string,
  configured: string | undefined,
):
  | { readonly region: string; readonly problem?: undefined }
  | { readonly region?: undefined; readonly problem: string } {
  const info = regionInfo(cloud, region);
  if (!info) return { problem: `unknown region '${region}'` };
  if (configured !== undefined) {
    const target = regionInfo(cloud, configured);
    if (!target) {
      return {
        problem: `expected a region of ${cloud} (${Object.keys(regions[cloud]).join(", ")}), found '${configured}'`,
      };
    }
    if (configured === region)
      return { problem: `expected a region other than the site's own (${region}), found '${configured}'` };
    if (cloud === "azure" && info.pair !== undefined && configured !== info.pair) {
      return {
        problem: `expected ${info.pair}: Azure geo-redundant storage always replicates ${region} to its paired region, found '${configured}'`,
      };
    }
    if (cloud === "azure" && info.pair === undefined) {
      return {
        problem: `expected no replicaRegion: ${region} has no Azure region pair, so geo-redundant storage is not offered there, found '${configured}'`,
      };
    }
    return { region: configured };
  }
  if (info.pair === undefined) {
    return {
      problem: `expected a replicaRegion: ${region} has no second ${cloud} region in the same jurisdiction (${info.geography}), so replicas and geo-redundant backups need an explicit destination, found nothing`,
    };
  }
  const pair = regionInfo(cloud, info.pair);
  if (pair && pair.geography !== info.geography) {
    return {
      problem: `expected a replicaRegion: ${region}'s pair ${info.pair} is outside its jurisdiction (${info.geography} to ${pair.geography}), so the destination must be set explicitly, found nothing`,
    };
  }
  return { region: info.pair };
}

/**
 * Regions that can form a configurable dual-region, by the multi-region that contains them (the bucket's
 * `location`), with the Cloud KMS location a CMEK for such a bucket must live in (the matching
 * multi-region). Cloud Storage accepts exactly two regions of the same multi-region in
 * `customPlacementConfig.dataLocations` ("Bucket locations", configurable dual-regions:
 * https://cloud.google.com/storage/docs/locations#configurable; CMEK key location:
 * https://cloud.google.com/storage/docs/encryption/customer-managed-keys#key-location). Only the regions
 * of our catalog (components/regions.ts) are listed; add one here when the catalog and the Cloud Storage
 * table both have it.
 *
 * Canada, Mexico, Brazil, Chile and the UK are left out on purpose: their regions either cannot form a
 * dual-region at all or only one whose key would live in a multi-region outside the jurisdiction.
 */
export const dualRegionContinents = {
  US: { kmsLocation: "us", regions: ["us-central1", "us-east1", "us-east4", "us-west1"] },
  EU: { kmsLocation: "europe", regions: ["europe-west1", "europe-west3", "europe-west4", "europe-north1"] },
} as const satisfies Record<string, { kmsLocation: string; regions: readonly string[] }>;

export interface DualRegion {
  /** Bucket `location`: the multi-region code of the pair. */
  readonly bucketLocation: string;
  /** `customPlacementConfig.dataLocations`: the two regions, upper case as the API returns them. */
  readonly dataLocations: readonly [string, string];
  /** Cloud KMS location of the bucket's CMEK. */
  readonly kmsLocation: string;
}

/**
 * The configurable dual-region of `region` and `replicaRegion` (the site's replica destination, already in
 * the same jurisdiction or explicitly configured), or undefined when Cloud Storage cannot pair them: both
 * must be regions of the same multi-region (and of the same geography in our catalog, so the data stays
 * in the jurisdiction).
 */
export function dualRegionOf(region: string, replicaRegion: string | undefined): DualRegion | undefined {
  if (replicaRegion === undefined || replicaRegion === region) return undefined;
  const a = regionInfo("gcp", region);
  const b = regionInfo("gcp", replicaRegion);
  if (!a || !b || a.geography !== b.geography) return undefined;
  for (const [code, continent] of Object.entries(dualRegionContinents)) {
    const eligible: readonly string[] = continent.regions;
    if (eligible.includes(region) && eligible.includes(replicaRegion)) {
      return {
        bucketLocation: code,
        dataLocations: [region.toUpperCase(), replicaRegion.toUpperCase()],
        kmsLocation: continent.kmsLocation,
      };
    }
  }
  return undefined;
}
