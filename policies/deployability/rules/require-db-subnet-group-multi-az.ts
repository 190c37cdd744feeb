/**
 * An RDS DB subnet group must cover at least two Availability Zones, even for a Single-AZ instance: RDS
 * refuses the group with `DBSubnetGroupDoesNotCoverEnoughAZs` when `pulumi up` creates it. The subnet
 * ids are resolved to the Subnet resources of the stack (property dependencies during preview, known ids
 * otherwise) and their `availabilityZone` / `availabilityZoneId`.
 */
import { finding } from "../../lib/checks";
import { isUnknownValue, list, peek, UNKNOWN } from "../../lib/props";
import { byUrn, knownString, lastSegment, ofTypes, propertyDeps } from "../lib/graph";
import type { Rule, Subject } from "../lib/rule";

const subnetGroupTypes = ["aws:rds/subnetGroup:SubnetGroup"];
const subnetTypes = ["aws:ec2/subnet:Subnet"];

/** The zone of a subnet (id preferred), UNKNOWN during preview, undefined when unset. */
export function zoneOf(subnet: Subject): string | typeof UNKNOWN | undefined {
  for (const key of ["availabilityZoneId", "availabilityZone"]) {
    const v = peek(subnet.props, key);
    if (v === UNKNOWN) return UNKNOWN;
    if (typeof v === "string" && v !== "") return v;
  }
  return undefined;
}

/** A subnet's id (from `id` or its ARN), when known. */
export function subnetId(subnet: Subject): string | undefined {
  const id = knownString(subnet.props, "id");
  if (id) return id;
  const arn = knownString(subnet.props, "arn");
  return arn ? lastSegment(arn) : undefined;
}

/**
 * How many Availability Zones a subnet list covers, as far as the plan tells: the subnets come from the
 * property's dependencies (`deps`, the caller's choice of which count) and from literal ids matched to the
 * plan's Subnet resources. Returns undefined when the list covers two or more zones or when the plan cannot
 * tell for certain (unknown ids or zones); otherwise the subnet count and the one zone (or none) covered.
 */
export function insufficientZoneCoverage(
  ids: readonly unknown[],
  unknownIds: boolean,
  deps: readonly string[],
  index: ReadonlyMap<string, Subject>,
  subnets: readonly Subject[],
): { count: number; where: string } | undefined {
  const resolved = new Map<string, Subject>();
  for (const urn of deps) {
    const s = index.get(urn);
    if (s && subnetTypes.includes(s.type)) resolved.set(s.urn, s);
  }
  for (const id of ids) {
    if (typeof id !== "string") continue;
    const s = subnets.find((x) => subnetId(x) === id);
    if (s) resolved.set(s.urn, s);
  }
  const count = Math.max(ids.length, resolved.size);
  const zones = new Set<string>();
  let unknownZone = false;
  for (const s of resolved.values()) {
    const z = zoneOf(s);
    if (z === UNKNOWN || z === undefined) unknownZone = true;
    else zones.add(z);
  }
  if (zones.size >= 2) return undefined;
  // Unknown ids: the list can only hold the subnets it depends on, so it is certain when all are resolved.
  const certain = unknownIds
    ? resolved.size > 0 && !unknownZone && resolved.size === deps.length
    : count < 2 || (!unknownZone && resolved.size >= count);
  if (!certain) return undefined;
  return { count, where: zones.size === 1 ? `only ${[...zones][0]}` : "no known zone" };
}

export const requireDbSubnetGroupMultiAz: Rule = {
  id: "require-db-subnet-group-multi-az",
  title: "RDS DB subnet groups cover at least two Availability Zones",
  category: "topology",
  severity: "critical",
  refuses:
    "RDS refuses a DB subnet group whose subnets do not cover at least two Availability Zones (DBSubnetGroupDoesNotCoverEnoughAZs), also for Single-AZ instances.",
  remediation:
    "Give the database's subnet group subnets in two or more zones (a single-zone site still needs a second data subnet in another zone for the subnet group).",
  sources: [
    {
      url: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html",
      quote:
        "DB subnet groups must contain at least one subnet in at least two AZs in the AWS Region. DBSubnetGroupDoesNotCoverEnoughAZs: Subnets in the DB subnet group should cover at least two Availability Zones unless there is only one Availability Zone.",
    },
  ],
  stackTypes: { aws: [...subnetGroupTypes, ...subnetTypes] },
  stack: (subjects) => {
    const index = byUrn(subjects);
    const subnets = ofTypes(subjects, subnetTypes);
    const out = [];
    for (const group of ofTypes(subjects, subnetGroupTypes)) {
      const raw = peek(group.props, "subnetIds");
      const ids = raw === UNKNOWN ? [] : list(raw);
      const unknownIds = raw === UNKNOWN || ids.some(isUnknownValue);
      const deps = propertyDeps(group, "subnetIds");
      const short = insufficientZoneCoverage(ids, unknownIds, deps, index, subnets);
      if (!short) continue;
      const { count, where } = short;
      out.push(
        finding(
          group,
          `DB subnet group has ${count} subnet${count === 1 ? "" : "s"} covering ${where}; RDS refuses it with DBSubnetGroupDoesNotCoverEnoughAZs (subnets must cover at least two Availability Zones). Source: https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html`,
        ),
      );
    }
    return out;
  },
};
