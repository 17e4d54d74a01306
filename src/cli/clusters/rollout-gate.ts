// A wave's gate: every object its change put on its clusters is ready (by the
// rules `pledge status` uses, src/cli/clusters/readiness.ts) and stays ready
// for healthyFor. Read live from the clusters, every couple of seconds, until
// it passes, the gate's timeout fails it, or the run's --wait runs out.
import type { AppliedObject } from "../stack/state-objects";
import { readLive, type ObjectStatus } from "./live-objects";

export type GateOutcome =
  | { kind: "passed" }
  /** Not ready within the gate's timeout: the objects that were not, with why. */
  | { kind: "failed"; notReady: ObjectStatus[] }
  /** The run's --wait ran out first: the next pledge up checks again. */
  | { kind: "waiting"; notReady: ObjectStatus[] };

export interface GateWatch {
  objects: AppliedObject[];
  kubeconfigs: Map<string, { kubeconfig: string; context?: string }>;
  healthyForSeconds: number;
  /** When the gate fails (ms since the epoch). */
  failAt: number;
  /** When this run stops waiting (ms since the epoch). */
  giveUpAt: number;
  progress: (line: string) => void;
  pollMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function watchGate(watch: GateWatch): Promise<GateOutcome> {
  let healthySince: number | undefined;
  for (;;) {
    const statuses = [...(await readLive(watch.objects, watch.kubeconfigs, new Map())).values()];
    const notReady = statuses.filter((s) => !s.ready);
    const now = Date.now();
    if (notReady.length === 0) {
      healthySince ??= now;
      const held = (now - healthySince) / 1000;
      if (held >= watch.healthyForSeconds) return { kind: "passed" };
      watch.progress(`${statuses.length} objects ready for ${Math.floor(held)}s of ${watch.healthyForSeconds}s`);
    } else {
      healthySince = undefined;
      watch.progress(
        `${statuses.length - notReady.length}/${statuses.length} objects ready; waiting for ${describe(notReady[0]!)}`,
      );
      if (now >= watch.failAt) return { kind: "failed", notReady };
    }
    if (now >= watch.giveUpAt) return { kind: "waiting", notReady };
    await sleep(Math.min(watch.pollMs ?? 2000, Math.max(0, Math.min(watch.failAt, watch.giveUpAt) - now)));
  }
}

export function describe(s: ObjectStatus): string {
  return `${s.kind} ${s.namespace ? `${s.namespace}/` : ""}${s.name}: ${s.detail}`;
}
