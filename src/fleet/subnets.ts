// Address plans for the networks Pledge creates. Pure arithmetic on IPv4 CIDRs.

export interface Cidr {
  /** The network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

export function formatCidr({ base, prefix }: Cidr): string {
  return `${[24, 16, 8, 0].map((shift) => (base >>> shift) & 255).join(".")}/${prefix}`;
}

/** The CIDR, or a message saying what is wrong with it. */
export function parseCidr(text: string): Cidr | string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return `${JSON.stringify(text)} is not an IPv4 CIDR such as 10.0.0.0/16`;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return `${JSON.stringify(text)} is not an IPv4 CIDR such as 10.0.0.0/16`;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const base = address - (address % size);
  if (base !== address) return `${JSON.stringify(text)} has host bits set; did you mean ${formatCidr({ base, prefix })}?`;
  return { base, prefix };
}

/** Block `index` of the `newPrefix`-sized blocks inside `cidr`. */
function block(cidr: Cidr, newPrefix: number, index: number): string {
  return formatCidr({ base: cidr.base + index * 2 ** (32 - newPrefix), prefix: newPrefix });
}

export const maxVpcZones = 3;

/**
 * An EKS VPC: one private and one public subnet per zone. Nodes and pods live
 * in the private subnets (the VPC CNI gives every pod a VPC address), so each
 * gets a quarter of the VPC; the public subnets (load balancers, the NAT
 * gateway) share the last quarter.
 */
export function planVpcSubnets(cidr: string, zones: number): { private: string[]; public: string[] } {
  const parsed = parseCidr(cidr);
  if (typeof parsed === "string") throw new Error(parsed);
  if (zones < 1 || zones > maxVpcZones) throw new Error(`a VPC plan covers 1 to ${maxVpcZones} zones, not ${zones}`);
  if (parsed.prefix > 24) throw new Error(`${cidr} is too small for a VPC plan: use /24 or larger`);
  const quarter = parsed.prefix + 2;
  const lastQuarter: Cidr = { base: parsed.base + 3 * 2 ** (32 - quarter), prefix: quarter };
  return {
    private: Array.from({ length: zones }, (_, i) => block(parsed, quarter, i)),
    public: Array.from({ length: zones }, (_, i) => block(lastQuarter, quarter + 2, i)),
  };
}

/** Problems with the range of a network Pledge creates; undefined when it is fine. */
export function vpcCidrProblem(cidr: string): string | undefined {
  const parsed = parseCidr(cidr);
  if (typeof parsed === "string") return parsed;
  if (parsed.prefix < 16 || parsed.prefix > 24)
    return `${cidr} is /${parsed.prefix}: use /16 to /24, room for nodes without spanning more than a cloud network allows`;
  return undefined;
}
