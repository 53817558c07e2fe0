// A process started by a supervisor that must not outlive it: `npm start` runs the node this way, and
// `npm run demo` runs `npm start` this way. The supervisor sets GRAM_PARENT_PID to its own pid; when it is
// gone, even by SIGKILL, this process is re-parented, and `onGone` runs once.

/** How often the parent is looked for: a stop within about half a second. */
const CHECK_MS = 500;

/**
 * Calls `onGone` once the parent named by `env.GRAM_PARENT_PID` is gone. Does nothing when the variable is
 * unset, or names a process that is not this one's parent (it was meant for another).
 *
 * @example
 * watchParent(process.env, () => void stop());
 */
export function watchParent(env: NodeJS.ProcessEnv, onGone: (parentPid: number) => void): void {
  const parentPid = Number(env.GRAM_PARENT_PID);
  if (!Number.isInteger(parentPid) || parentPid <= 1 || process.ppid !== parentPid) return;
  const timer = setInterval(() => {
    if (process.ppid === parentPid) return;
    clearInterval(timer);
    onGone(parentPid);
  }, CHECK_MS);
  timer.unref();
}
