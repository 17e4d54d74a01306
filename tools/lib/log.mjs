// Progress output for setup and the run wrapper: one prefix, elapsed seconds,
// and a heartbeat for long steps so a cold 20-minute build never looks hung.

const started = Date.now();

export function say(message) {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[pledge ${seconds}s] ${message}\n`);
}

/** Runs fn while printing "still <what>" every `everySeconds`. */
export async function withHeartbeat(what, fn, everySeconds = 30) {
  const begin = Date.now();
  const timer = setInterval(() => {
    say(`still ${what} (${Math.round((Date.now() - begin) / 1000)}s)`);
  }, everySeconds * 1000);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

export class SetupError extends Error {}
