/** Region lists used as defaults for data residency, and how a resource's region is read per cloud. */
import { UNKNOWN, peek } from "./props";
import type { Subject } from "./types";

/** EU/EEA regions (GDPR default). UK and Switzerland have adequacy decisions but are not EU/EEA: left out. */
export const euEeaRegions: readonly string[] = [
  // AWS
  "eu-west-1",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  // Azure
  "northeurope",
  "westeurope",
  "francecentral",
  "francesouth",
  "germanywestcentral",
  "germanynorth",
  "swedencentral",
  "swedensouth",
  "italynorth",
  "polandcentral",
  "spaincentral",
  "norwayeast",
  "norwaywest",
  "austriaeast",
  "belgiumcentral",
  "denmarkeast",
  // GCP (regions, the EU multi-region and the EUR4 dual-region)
  "europe-west1",
  "europe-west3",
  "europe-west4",
  "europe-west8",
  "europe-west9",
  "europe-west10",
  "europe-west12",
  "europe-north1",
  "europe-north2",
  "europe-central2",
  "europe-southwest1",
  "eu",
  "eur4",
];

/** Mexican regions of the three clouds (an example LFPDPPP list; the law itself does not mandate localisation). */
export const mexicoRegions: readonly string[] = ["mx-central-1", "mexicocentral", "northamerica-south1"];

export function normaliseRegion(region: string): string {
  return region.toLowerCase().replace(/\s+/g, "");
}

/** GCP zone "europe-west1-b" -> region "europe-west1". */
function zoneToRegion(zone: string): string {
  return /^[a-z]+-[a-z]+\d+-[a-z]$/.test(zone) ? zone.slice(0, zone.lastIndexOf("-")) : zone;
}

/**
 * The region a resource is created in: its own `region`/`location`/`zone` input when set, else its
 * provider's `region`/`location`. UNKNOWN when computed; undefined when nothing says.
 */
export function regionOf(subject: Subject): string | typeof UNKNOWN | undefined {
  for (const key of ["region", "location", "locationId", "zone"]) {
    const v = peek(subject.props, key);
    if (v === UNKNOWN) return UNKNOWN;
    if (typeof v === "string" && v !== "")
      // A GCP `location` may be a zone too (Filestore Basic/Zonal instances, zonal GKE clusters).
      return normaliseRegion(key === "region" ? v : zoneToRegion(v));
  }
  const provider = subject.provider?.props;
  if (provider) {
    for (const key of ["region", "location"]) {
      const v = peek(provider, key);
      if (v === UNKNOWN) return UNKNOWN;
      if (typeof v === "string" && v !== "") return normaliseRegion(v);
    }
  }
  return undefined;
}
