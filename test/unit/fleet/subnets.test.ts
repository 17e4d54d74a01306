// Address plans for new networks: every subnet inside the VPC, none
// overlapping, private subnets large enough for pods.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseCidr, planVpcSubnets, vpcCidrProblem } from "../../../src/fleet/subnets";

function range(cidr: string): [number, number] {
  const parsed = parseCidr(cidr);
  assert.ok(typeof parsed !== "string", String(parsed));
  return [parsed.base, parsed.base + 2 ** (32 - parsed.prefix) - 1];
}

describe("planVpcSubnets", () => {
  it("a /16 over two zones: /18 private subnets, /20 public ones in the last quarter", () => {
    assert.deepEqual(planVpcSubnets("10.0.0.0/16", 2), {
      private: ["10.0.0.0/18", "10.0.64.0/18"],
      public: ["10.0.192.0/20", "10.0.208.0/20"],
    });
  });

  it("any VPC from /16 to /24 and 1 to 3 zones: subnets inside it, disjoint", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 16, max: 24 }),
        fc.integer({ min: 0, max: 2 ** 16 - 1 }),
        fc.integer({ min: 1, max: 3 }),
        (prefix, high, zones) => {
          const size = 2 ** (32 - prefix);
          const base = Math.floor((high * 2 ** 16) / size) * size;
          const vpc = `${[24, 16, 8, 0].map((s) => (base >>> s) & 255).join(".")}/${prefix}`;
          const plan = planVpcSubnets(vpc, zones);
          const [lo, hi] = range(vpc);
          const ranges = [...plan.private, ...plan.public].map(range).sort((a, b) => a[0] - b[0]);
          assert.equal(ranges.length, 2 * zones);
          for (const [a, b] of ranges) assert.ok(a >= lo && b <= hi, `${vpc}: subnet outside`);
          for (let i = 1; i < ranges.length; i++) assert.ok(ranges[i]![0] > ranges[i - 1]![1], `${vpc}: subnets overlap`);
        },
      ),
    );
  });
});

describe("CIDR problems", () => {
  it("says what is wrong and what was meant", () => {
    assert.equal(vpcCidrProblem("10.0.0.0/16"), undefined);
    assert.equal(vpcCidrProblem("10.0.1.0/16"), '"10.0.1.0/16" has host bits set; did you mean 10.0.0.0/16?');
    assert.match(vpcCidrProblem("10.0.0.0/8")!, /use \/16 to \/24/);
    assert.match(vpcCidrProblem("10.0.0.0")!, /is not an IPv4 CIDR/);
    assert.match(vpcCidrProblem("10.0.300.0/16")!, /is not an IPv4 CIDR/);
  });
});
