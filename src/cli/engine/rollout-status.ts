// `pledge rollout status`: the rollout as the stack's outputs record it, the
// waves as the config makes them now, and for every cluster the change
// reached, the readiness of what it put there, read live. Reads only.
import { readLive } from "../clusters/live-objects";
import { unreachableClusters } from "../clusters/reachability";
import type { PledgeStack } from "../stack/pledge-stack";
import { objectsUnder } from "../stack/state-forms";
import { providerKubeconfigs } from "../stack/state-objects";
import { UpdateError } from "../update-error";
import { situation } from "./rollout";
import type { RolloutRecord } from "../../rollout/record";

export interface RolloutStatus {
  state: RolloutRecord["state"] | "none";
  startedAt?: string;
  halted?: RolloutRecord["halted"];
  waves: {
    name: string;
    state: "passed" | "in progress" | "waiting for approval" | "pending" | "halted";
    approval: boolean;
    clusters: {
      name: string;
      state: "has the change" | "halted (left as it is)" | "held" | "no change" | "skipped (unreachable)";
      /** What the change does there, while held. */
      held: number;
      objects: { kind: string; namespace?: string; name: string; ready: boolean; detail: string }[];
    }[];
  }[];
}

export async function rolloutStatus(stack: PledgeStack, projectDir: string): Promise<RolloutStatus> {
  const s = await situation(stack, projectDir, []);
  if (!s) throw new UpdateError("pledge:rollout is not set for this stack: every change goes everywhere at once");
  const record = s.stored;
  const unreachable = await unreachableClusters(stack, projectDir);
  const current = s.waves.find((w) => !record?.passed[w.name])?.name;
  const waves = await Promise.all(
    s.waves.map(async (wave) => {
      const clusters = await Promise.all(
        wave.clusters.map(async (cluster) => {
          const reached = record?.reached.includes(cluster) ?? false;
          const halted = record?.state === "halted" && (record.halted?.clusters.includes(cluster) ?? false);
          const held = s.changes.get(cluster)?.held.length ?? 0;
          const names = Object.keys(s.before[cluster] ?? {});
          const live =
            reached || halted
              ? [...(await readLive(objectsUnder(s.state, names), providerKubeconfigs(s.resources), unreachable)).values()]
              : [];
          return {
            name: cluster,
            state: halted
              ? ("halted (left as it is)" as const)
              : reached
                ? ("has the change" as const)
                : record?.skipped.includes(cluster)
                  ? ("skipped (unreachable)" as const)
                  : held > 0
                    ? ("held" as const)
                    : ("no change" as const),
            held,
            objects: live.map(({ kind, namespace, name, ready, detail }) => ({
              kind,
              ...(namespace ? { namespace } : {}),
              name,
              ready,
              detail,
            })),
          };
        }),
      );
      const state = record?.passed[wave.name]
        ? ("passed" as const)
        : record?.state === "halted" && record.halted?.wave === wave.name
          ? ("halted" as const)
          : wave.name === current && record?.state === "rolling"
            ? wave.approval && clusters.every((c) => c.state !== "held")
              ? ("waiting for approval" as const)
              : ("in progress" as const)
            : ("pending" as const);
      return { name: wave.name, state, approval: wave.approval, clusters };
    }),
  );
  return {
    state: record?.state ?? "none",
    ...(record ? { startedAt: record.startedAt } : {}),
    ...(record?.halted ? { halted: record.halted } : {}),
    waves,
  };
}

export function rolloutStatusText(status: RolloutStatus): string {
  const lines = [
    `rollout: ${status.state}${status.startedAt ? ` (started ${status.startedAt})` : ""}`,
    ...(status.halted ? [`halted at wave ${status.halted.wave} (${status.halted.at}): ${status.halted.reason}`] : []),
  ];
  status.waves.forEach((wave, i) => {
    lines.push(`${i + 1}. wave ${wave.name}: ${wave.state}${wave.approval ? " (approval)" : ""}`);
    for (const c of wave.clusters) {
      lines.push(
        `   ${c.name}: ${c.state}${c.state === "held" ? ` (${c.held} object${c.held === 1 ? "" : "s"} to change)` : ""}`,
      );
      for (const o of c.objects)
        lines.push(
          `     ${o.ready ? "ready    " : "not ready"} ${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}: ${o.detail}`,
        );
    }
  });
  return `${lines.join("\n")}\n`;
}
