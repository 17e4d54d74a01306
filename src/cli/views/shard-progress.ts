// The progress of shards running side by side: on a terminal, one live line
// per shard (log-update redraws them in place); elsewhere (CI logs), a line
// when a shard starts and when it ends, so logs stay readable.
import { createLogUpdate } from "log-update";

type State = { phase: "waiting" | "running" | "done" | "failed"; detail: string; started?: number; seconds?: number };

export class ShardProgress {
  private readonly states = new Map<string, State>();
  private readonly live: ReturnType<typeof createLogUpdate> | undefined;
  private readonly width: number;

  constructor(
    shards: readonly string[],
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    for (const s of shards) this.states.set(s, { phase: "waiting", detail: "" });
    this.width = Math.max(...shards.map((s) => s.length));
    this.live = stream.isTTY ? createLogUpdate(stream) : undefined;
    this.draw();
  }

  start(shard: string): void {
    this.set(shard, { phase: "running", detail: "starting", started: Date.now() });
    if (!this.live) this.stream.write(`shard ${shard}: started\n`);
  }

  update(shard: string, detail: string): void {
    const state = this.states.get(shard)!;
    if (state.phase === "running") this.set(shard, { ...state, detail });
  }

  end(shard: string, ok: boolean, detail: string): void {
    const state = this.states.get(shard)!;
    const seconds = state.started ? (Date.now() - state.started) / 1000 : 0;
    this.set(shard, { phase: ok ? "done" : "failed", detail, seconds });
    if (!this.live)
      this.stream.write(`shard ${shard}: ${ok ? "done" : "FAILED"} in ${seconds.toFixed(1)} s${detail ? ` (${detail})` : ""}\n`);
  }

  /** The last frame stays on the terminal; what follows prints below it. */
  close(): void {
    this.live?.done();
  }

  private set(shard: string, state: State): void {
    this.states.set(shard, state);
    this.draw();
  }

  private draw(): void {
    if (!this.live) return;
    const mark = { waiting: "·", running: "▸", done: "✓", failed: "✗" };
    this.live(
      [...this.states]
        .map(([shard, s]) => {
          const time =
            s.seconds !== undefined
              ? `${s.seconds.toFixed(1)} s`
              : s.started
                ? `${((Date.now() - s.started) / 1000).toFixed(0)} s`
                : "";
          return `${mark[s.phase]} ${shard.padEnd(this.width)}  ${s.phase.padEnd(7)} ${time.padStart(7)}  ${s.detail}`;
        })
        .join("\n"),
    );
  }
}
