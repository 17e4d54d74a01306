// Pulumi's dynamic provider host (@pulumi/pulumi/cmd/dynamic-provider, 3.259)
// passes a diff's `changes`, `replaces` and `deleteBeforeReplace` to the engine
// and drops `detailedDiff`, so a preview could not say which files would
// change in Git (nor show a hand edit there, where the inputs are the same).
// This carries it: the diff result's `changes` getter leaves the detail for
// the host's very next call, DiffResponse.setChanges, which this wraps to also
// set the detailed diff. Both happen in one synchronous step of the host's
// diff, so concurrent diffs cannot mix. Outside the host, or should the host
// change shape, nothing is wrapped and the preview just lacks the detail.
import { dirname, join } from "node:path";
import type { FileDiffKind as DetailedDiffKind } from "../gitops/store-plan";

interface DiffResponseProto {
  prototype: {
    setChanges(value: number): unknown;
    setHasdetaileddiff(value: boolean): unknown;
    setDiffsList(value: string[]): unknown;
    getDetaileddiffMap(): { set(key: string, value: unknown): unknown };
  };
}
interface ProviderProto {
  DiffResponse: DiffResponseProto;
  PropertyDiff: (new () => { setKind(kind: number): unknown; setInputdiff(input: boolean): unknown }) & {
    Kind: Record<string, number>;
  };
}

let pending: Record<string, DetailedDiffKind> | undefined;

/** The host's own generated protocol module (the very instance it answers with), when this runs inside the host. */
function hostProtocol(): ProviderProto | undefined {
  const main = require.main?.filename ?? "";
  if (!/[\\/]cmd[\\/]dynamic-provider[\\/]index\.js$/.test(main)) return undefined;
  try {
    const proto = require(join(dirname(main), "..", "..", "proto", "provider_pb")) as ProviderProto;
    return typeof proto.DiffResponse?.prototype?.setChanges === "function" ? proto : undefined;
  } catch {
    return undefined;
  }
}

const proto = hostProtocol();
const wrapped = Symbol.for("pledge.detailedDiff");
if (proto && !(proto.DiffResponse.prototype as Record<symbol, unknown>)[wrapped]) {
  const { DiffResponse, PropertyDiff } = proto;
  const setChanges = DiffResponse.prototype.setChanges;
  (DiffResponse.prototype as Record<symbol, unknown>)[wrapped] = true;
  DiffResponse.prototype.setChanges = function (this: DiffResponseProto["prototype"], value: number) {
    const detail = pending;
    pending = undefined;
    if (detail) {
      const map = this.getDetaileddiffMap();
      for (const [key, kind] of Object.entries(detail)) {
        const diff = new PropertyDiff();
        diff.setKind(PropertyDiff.Kind[kind.toUpperCase()]!);
        diff.setInputdiff(false);
        map.set(key, diff);
      }
      this.setHasdetaileddiff(true);
      this.setDiffsList([...new Set(Object.keys(detail).map((key) => key.replace(/\[.*$/, "")))]);
    }
    return setChanges.call(this, value);
  };
}

/** A diff result whose detailed diff reaches the engine through the host (see above). */
export function withDetailedDiff<T extends { changes: boolean }>(
  result: T,
  detailedDiff: Record<string, DetailedDiffKind>,
): T & { detailedDiff: Record<string, { kind: DetailedDiffKind; inputDiff: boolean }> } {
  const { changes, ...rest } = result;
  return {
    ...rest,
    detailedDiff: Object.fromEntries(Object.entries(detailedDiff).map(([key, kind]) => [key, { kind, inputDiff: false }])),
    get changes() {
      pending = detailedDiff;
      return changes;
    },
  } as T & { detailedDiff: Record<string, { kind: DetailedDiffKind; inputDiff: boolean }> };
}
