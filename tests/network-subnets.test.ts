import { strict as assert } from "node:assert";
import fc from "fast-check";
import { cidr, contains, formatCidr, overlaps } from "../components/cidr";
import {
  AllocationError,
  allocateSubnets,
  maxZoneSlots,
  siteTierRequests,
  subnetShapes,
  type AllocatedSubnet,
  type TierRequest,
} from "../components/subnets";

function assertSound(space: string, subnets: readonly AllocatedSubnet[]): void {
  const outer = cidr(space);
  subnets.forEach((s, i) => {
    const c = cidr(s.cidr); // throws if misaligned (host bits set)
    assert.ok(contains(outer, c), `${s.cidr} lies outside ${space}`);
    for (const other of subnets.slice(i + 1)) {
      assert.ok(!overlaps(c, cidr(other.cidr)), `${s.cidr} overlaps ${other.cidr}`);
    }
  });
}

const byKey = (subnets: readonly AllocatedSubnet[]) =>
  new Map(subnets.map((s) => [`${s.tier}/${s.slot}`, s.cidr]));

/** A random address space (/8 to /24 inside 10/8) and tiers whose prefixes are at or below it. */
const arbRequest = fc
  .record({
    spacePrefix: fc.integer({ min: 8, max: 24 }),
    spaceIndex: fc.nat(),
    slots: fc.integer({ min: 1, max: 6 }),
    tierBits: fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 6 }),
  })
  .map(({ spacePrefix, spaceIndex, slots, tierBits }) => {
    const count = 2 ** (spacePrefix - 8);
    const base = cidr("10.0.0.0/8").base + (spaceIndex % count) * 2 ** (32 - spacePrefix);
    const space = formatCidr({ base, prefix: spacePrefix });
    const tiers: TierRequest[] = tierBits.map((bits, i) => ({
      name: `t${i}`,
      prefixLength: Math.min(spacePrefix + bits, 28),
      slots,
      used: 1,
    }));
    return { space, tiers, slots };
  });

describe("subnet allocation (components/subnets.ts)", () => {
  it("lays out the prod AWS site readably: public, then data in the gap, then private", () => {
    const tiers = siteTierRequests(subnetShapes.aws, "10.0.0.0/16", 3);
    const out = allocateSubnets("10.0.0.0/16", tiers);
    assert.deepEqual(
      out.map((s) => `${s.tier}${s.slot} ${s.cidr}`),
      [
        "public0 10.0.0.0/24",
        "public1 10.0.1.0/24",
        "public2 10.0.2.0/24",
        "private0 10.0.16.0/20",
        "private1 10.0.32.0/20",
        "private2 10.0.48.0/20",
        "data0 10.0.6.0/24",
        "data1 10.0.7.0/24",
        "data2 10.0.8.0/24",
      ],
    );
  });

  it("gives regional clouds one subnet per tier plus their extra block", () => {
    const azure = allocateSubnets("10.1.0.0/16", siteTierRequests(subnetShapes.azure, "10.1.0.0/16", 3));
    assert.deepEqual(
      azure.map((s) => `${s.tier} ${s.cidr}`),
      [
        "public 10.1.0.0/22",
        "private 10.1.64.0/18",
        "data 10.1.4.0/22",
        "endpoints 10.1.8.0/24",
        // the interconnect's GatewaySubnet, appended after the existing blocks (nothing renumbered)
        "gateway 10.1.9.0/27",
      ],
    );
    const gcp = allocateSubnets("10.20.0.0/16", siteTierRequests(subnetShapes.gcp, "10.20.0.0/16", 1));
    assert.deepEqual(
      gcp.map((s) => `${s.tier} ${s.cidr}`),
      [
        "public 10.20.0.0/22",
        "private 10.20.64.0/18",
        "data 10.20.4.0/22",
        "services 10.20.16.0/20",
        // GKE's secondary ranges (pods, Service IPs), appended after the existing blocks (nothing renumbered)
        "pods 10.20.128.0/17",
        "cluster-services 10.20.32.0/20",
      ],
    );
    assertSound("10.20.0.0/16", gcp);
  });

  it("rejects an address space too small for tiers x zone slots, with the numbers", () => {
    const tiers = siteTierRequests(subnetShapes.aws, "10.0.0.0/22", 3, { public: 24, private: 22, data: 24 });
    assert.throws(
      () => allocateSubnets("10.0.0.0/22", tiers),
      (err: unknown) =>
        err instanceof AllocationError &&
        err.message.includes("10.0.0.0/22 (1024 addresses)") &&
        err.message.includes("public 6 x /24, private 6 x /22, data 6 x /24") &&
        err.message.includes("9216 addresses"),
    );
  });

  it("rejects more zones in use than slots, a prefix outside the space, and duplicate tiers", () => {
    assert.throws(
      () => allocateSubnets("10.0.0.0/16", [{ name: "public", prefixLength: 24, slots: 6, used: 7 }]),
      /tier 'public': expected between 0 and 6 subnets in use \(its zone slots\), found 7/,
    );
    assert.throws(
      () => allocateSubnets("10.0.0.0/16", [{ name: "private", prefixLength: 12, slots: 1, used: 1 }]),
      /tier 'private': expected a prefix length between \/16 \(the address space 10.0.0.0\/16\) and \/28, found \/12/,
    );
    assert.throws(
      () =>
        allocateSubnets("10.0.0.0/16", [
          { name: "a", prefixLength: 24, slots: 1, used: 1 },
          { name: "a", prefixLength: 24, slots: 1, used: 1 },
        ]),
      /tier 'a' is listed twice/,
    );
  });

  it("reserves one slot per zone a site may ever use", () => {
    assert.equal(maxZoneSlots, 6);
    for (const t of siteTierRequests(subnetShapes.aws, "10.0.0.0/16", 2)) assert.equal(t.slots, 6);
  });

  it("property: subnets never overlap, stay inside the space and are aligned", () => {
    fc.assert(
      fc.property(arbRequest, fc.integer({ min: 1, max: 6 }), ({ space, tiers, slots }, zones) => {
        const used = Math.min(zones, slots);
        const request = tiers.map((t) => ({ ...t, used }));
        let out: AllocatedSubnet[];
        try {
          out = allocateSubnets(space, request);
        } catch (err) {
          assert.ok(err instanceof AllocationError, String(err));
          assert.match(err.message, /is too small for \d+ tiers x their zone slots .*: \d+ addresses/);
          return;
        }
        assert.equal(out.length, request.length * used);
        assertSound(space, out);
      }),
      { numRuns: 500 },
    );
  });

  it("property: adding a zone keeps every existing subnet CIDR", () => {
    fc.assert(
      fc.property(arbRequest, ({ space, tiers, slots }) => {
        fc.pre(slots >= 2);
        let before: AllocatedSubnet[];
        try {
          before = allocateSubnets(
            space,
            tiers.map((t) => ({ ...t, used: slots - 1 })),
          );
        } catch {
          return; // too small: nothing to compare
        }
        const after = allocateSubnets(
          space,
          tiers.map((t) => ({ ...t, used: slots })),
        );
        const afterByKey = byKey(after);
        for (const [key, value] of byKey(before)) assert.equal(afterByKey.get(key), value, key);
        assert.equal(after.length, before.length + tiers.length);
      }),
      { numRuns: 500 },
    );
  });

  it("property: appending a tier keeps every existing subnet CIDR", () => {
    fc.assert(
      fc.property(arbRequest, fc.integer({ min: 0, max: 12 }), ({ space, tiers, slots }, bits) => {
        let before: AllocatedSubnet[];
        try {
          before = allocateSubnets(space, tiers);
        } catch {
          return;
        }
        const extra: TierRequest = {
          name: "appended",
          prefixLength: Math.min(cidr(space).prefix + bits, 28),
          slots,
          used: 1,
        };
        let after: AllocatedSubnet[];
        try {
          after = allocateSubnets(space, [...tiers, extra]);
        } catch (err) {
          assert.ok(err instanceof AllocationError);
          return; // the new tier does not fit: nothing is renumbered either
        }
        const afterByKey = byKey(after);
        for (const [key, value] of byKey(before)) assert.equal(afterByKey.get(key), value, key);
        assertSound(space, after);
      }),
      { numRuns: 500 },
    );
  });

  it("property: when every block is at least as large as the next, whatever fits by size is allocated", () => {
    fc.assert(
      fc.property(arbRequest, ({ space, tiers }) => {
        const sorted = [...tiers].sort((a, b) => a.prefixLength - b.prefixLength);
        const needed = sorted.reduce((n, t) => n + t.slots * 2 ** (32 - t.prefixLength), 0);
        fc.pre(needed <= 2 ** (32 - cidr(space).prefix));
        assertSound(space, allocateSubnets(space, sorted));
      }),
      { numRuns: 300 },
    );
  });
});
