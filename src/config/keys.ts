// The stack config keys Pledge reads, by their full names: every message that
// points at a key uses these, so a rename is one edit.
export const configKeys = {
  clusters: "pledge:clusters",
  promises: "pledge:promises",
  requests: "pledge:requests",
  requestsDir: "pledge:requestsDir",
  deletions: "pledge:deletions",
  teams: "pledge:teams",
  secretSeed: "pledge:secretSeed",
  shards: "pledge:shards",
  stateStores: "pledge:stateStores",
  rollout: "pledge:rollout",
} as const;
