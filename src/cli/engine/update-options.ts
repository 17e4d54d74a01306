// What an update run (`pledge up`, `pledge preview`, one shard's part of
// either) is asked to do, and what it answers.
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { StackOutputs } from "../../outputs";
import type { RunResult } from "../../run/decide";
import type { HandoffPointer } from "../../run/rollout-handoff";
import type { RolloutPlan } from "../views/rollout-plan-view";
import type { PledgeStack } from "../stack/pledge-stack";
import type { EngineReport } from "./engine-events";

/**
 * Engine operations at once. Most of an update's time is waiting (a Deployment
 * until Available), not work, so more than Pulumi's 16 keeps the API servers
 * busy; the providers' own client limits still bound the load on each cluster.
 */
export const defaultParallel = 64;

export interface UpdateOptions {
  verbose: boolean;
  /** Refresh every object from its cluster instead of only those the listing finds changed. */
  fullRefresh?: boolean;
  /** Confirmations for this run: cluster:<name>, request:<promise>/<name>, many, all. */
  allowDelete: readonly string[];
  /** How long to wait for another update of the stack to finish, in seconds (0: fail at once). */
  waitSeconds: number;
  /** Where messages go (stderr); the placement tables go to stdout. */
  say: (line: string) => void;
  /** One line of progress as the engine goes ("12/40 changes applied"). */
  progress?: (line: string) => void;
  /** The stack is one shard of a sharded fleet: checked, seeded and probed with its fleet stack, whose config it runs with. */
  shard?: ShardRun;
  /** The fleet stack of a sharded fleet: its update only decides and records the placement (no cluster is touched). */
  decisionOnly?: boolean;
  /** Write the state after every step, as Pulumi does by default, instead of once at the end with the update journal. */
  checkpoints?: boolean;
  /** How many resource operations the engine runs at once (Pulumi's default is 16; waits on objects hold a slot). */
  parallel?: number;
  /** A staged rollout's step for the program (src/run/rollout-handoff.ts). */
  rollout?: HandoffPointer;
  /** Clusters this run leaves as they are although they answer (a halted wave's), with why. */
  leaveAlone?: ReadonlyMap<string, string>;
}

export interface ShardRun {
  /** The fleet stack's config file (Pulumi.<fleet>.yaml): a shard's stack has no config of its own. */
  configFile: string;
  /** The shard's clusters, for its summary. */
  clusters: readonly string[];
  /** What the fleet's probe found before this run (the placement leaves these clusters alone everywhere). */
  unreachable: ReadonlyMap<string, string>;
  /** Probes the fleet's clusters again (after a failure, to tell a cluster that went away from a real error). */
  probe: () => Promise<Map<string, string>>;
  /** Whether the fleet has clusters Pledge provisions (then every step is checkpointed). */
  provisioned: boolean;
  /** The fleet stack: its config and placement record are the shard's. */
  fleet: PledgeStack;
}

export interface UpdateResult {
  exitCode: number;
  outputs?: StackOutputs;
  report: EngineReport;
  /** Preview only: what changed on the clusters outside Pledge. */
  drift?: EngineReport;
  unreachable: Map<string, string>;
  /** The program's decision for this run, as the CLI made it (the same function as the program's). */
  decision: () => Promise<RunResult | undefined>;
  /** Preview with pledge:rollout: the rollout plan it showed. */
  rolloutPlan?: RolloutPlan;
}

/** What every engine operation of one update run is given. */
export interface EngineRunOptions {
  onEvent: (event: EngineEvent) => void;
  exclude?: string[];
  excludeDependents?: boolean;
  onOutput?: (out: string) => void;
  onError?: (err: string) => void;
  configFile?: string;
  parallel?: number;
}
