// The one polling wait of the tests and the benchmarks: until a condition holds, or a timeout that names
// what was awaited. An error the condition throws ends the wait with that error.

/**
 * Polls `condition` every `intervalMs` until it returns true; throws after `timeoutMs`.
 *
 * @example
 * await waitFor(async () => (await fetch(`${url}/healthz`)).status === 200, 10_000, "/healthz to answer 200");
 */
export async function waitFor(
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
  what = "a condition",
  intervalMs = 10,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
