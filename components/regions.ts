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
  readonly geography: "us" | "eu" | "uk" | "mx" | "ca" | "br" | "apac";
}

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
    "us-east-1": { zones: awsZones("us-east-1", "abcdef"), geography: "us" },
    "us-east-2": { zones: awsZones("us-east-2", "abc"), geography: "us" },
    "us-west-2": { zones: awsZones("us-west-2", "abcd"), geography: "us" },
    "ca-central-1": { zones: awsZones("ca-central-1", "abd"), geography: "ca" },
    "mx-central-1": { zones: awsZones("mx-central-1", "abc"), geography: "mx" },
    "sa-east-1": { zones: awsZones("sa-east-1", "abc"), geography: "br" },
    "eu-west-1": { zones: awsZones("eu-west-1", "abc"), geography: "eu" },
    "eu-west-2": { zones: awsZones("eu-west-2", "abc"), geography: "uk" },
    "eu-west-3": { zones: awsZones("eu-west-3", "abc"), geography: "eu" },
    "eu-central-1": { zones: awsZones("eu-central-1", "abc"), geography: "eu" },
    "eu-north-1": { zones: awsZones("eu-north-1", "abc"), geography: "eu" },
    "ap-southeast-1": { zones: awsZones("ap-southeast-1", "abc"), geography: "apac" },
    "ap-northeast-1": { zones: awsZones("ap-northeast-1", "acd"), geography: "apac" },
  },
  azure: {
    eastus: { zones: azureThree, geography: "us" },
    eastus2: { zones: azureThree, geography: "us" },
    centralus: { zones: azureThree, geography: "us" },
    westus2: { zones: azureThree, geography: "us" },
    westus3: { zones: azureThree, geography: "us" },
    northcentralus: { zones: [], geography: "us" },
    canadacentral: { zones: azureThree, geography: "ca" },
    mexicocentral: { zones: azureThree, geography: "mx" },
    brazilsouth: { zones: azureThree, geography: "br" },
    westeurope: { zones: azureThree, geography: "eu" },
    northeurope: { zones: azureThree, geography: "eu" },
    germanywestcentral: { zones: azureThree, geography: "eu" },
    francecentral: { zones: azureThree, geography: "eu" },
    swedencentral: { zones: azureThree, geography: "eu" },
    uksouth: { zones: azureThree, geography: "uk" },
  },
  gcp: {
    "us-central1": { zones: gcpZones("us-central1", "abcf"), geography: "us" },
    "us-east1": { zones: gcpZones("us-east1", "bcd"), geography: "us" },
    "us-east4": { zones: gcpZones("us-east4", "abc"), geography: "us" },
    "us-west1": { zones: gcpZones("us-west1", "abc"), geography: "us" },
    "northamerica-northeast1": { zones: gcpZones("northamerica-northeast1", "abc"), geography: "ca" },
    "northamerica-south1": { zones: gcpZones("northamerica-south1", "abc"), geography: "mx" },
    "southamerica-east1": { zones: gcpZones("southamerica-east1", "abc"), geography: "br" },
    "europe-west1": { zones: gcpZones("europe-west1", "bcd"), geography: "eu" },
    "europe-west3": { zones: gcpZones("europe-west3", "abc"), geography: "eu" },
    "europe-west4": { zones: gcpZones("europe-west4", "abc"), geography: "eu" },
    "europe-north1": { zones: gcpZones("europe-north1", "abc"), geography: "eu" },
    "europe-west2": { zones: gcpZones("europe-west2", "abc"), geography: "uk" },
  },
};

/** The catalog entry of a region, or undefined when the region is unknown for that cloud. */
export function regionInfo(cloud: Cloud, region: string): RegionInfo | undefined {
  return Object.prototype.hasOwnProperty.call(regions[cloud], region) ? regions[cloud][region] : undefined;
}
