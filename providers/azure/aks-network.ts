/**
 * The address ranges of an AKS cluster with Azure CNI Overlay, chosen so they overlap neither site's
 * address space (the interconnect routes the peer's space into the VNet): pods get addresses from a
 * private overlay range that never appears in the VNet, services from another. Pure (unit-tested).
 *
 * Sources: "Configure Azure CNI Overlay networking in AKS" (the pod CIDR must not overlap the cluster
 * subnet or any network the cluster reaches; NSGs on the node subnet must allow node-to-node, node-to-pod
 * and pod-to-pod traffic: https://learn.microsoft.com/azure/aks/azure-cni-overlay) and "Configure Azure
 * CNI networking in AKS" (the service CIDR must not overlap any subnet or routed network; the DNS service
 * IP is inside it and not its first address).
 */
import { cidrsOverlap } from "../../components/cidr";

/** Candidate pod ranges, in order of preference (RFC 6598 shared space first, then RFC 1918). */
const podCandidates = ["100.64.0.0/16", "172.20.0.0/16", "172.22.0.0/16"] as const;
/** Candidate service ranges. */
const serviceCandidates = ["100.65.0.0/16", "172.21.0.0/16", "192.168.0.0/16"] as const;

export interface OverlayRanges {
  readonly podCidr: string;
  readonly serviceCidr: string;
  /** The cluster DNS service address: the 10th address of the service range. */
  readonly dnsServiceIP: string;
}

/** The first candidate ranges that overlap none of `spaces` (the stack's site address spaces). */
export function overlayRanges(spaces: readonly string[]): OverlayRanges {
  const free = (candidates: readonly string[], what: string): string => {
    const found = candidates.find((c) => spaces.every((s) => !cidrsOverlap(c, s)));
    if (!found) {
      throw new Error(
        `AKS: no ${what} range among ${candidates.join(", ")} is free of the site address spaces ${spaces.join(", ")}`,
      );
    }
    return found;
  };
  const serviceCidr = free(serviceCandidates, "service");
  const [a, b] = serviceCidr.split(".");
  return { podCidr: free(podCandidates, "pod"), serviceCidr, dnsServiceIP: `${a}.${b}.0.10` };
}

/** The address spaces of the stack's sites (this one and its peer), which cluster ranges must avoid. */
export function siteAddressSpaces(stack: {
  readonly primary: { readonly addressSpace: string };
  readonly secondary?: { readonly addressSpace: string } | undefined;
}): string[] {
  return [stack.primary.addressSpace, ...(stack.secondary ? [stack.secondary.addressSpace] : [])];
}
