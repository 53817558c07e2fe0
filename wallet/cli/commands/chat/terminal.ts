// The interactive chat's terminal: lines in, one at a time (from a keyboard or a pipe: readline reads
// both), and lines out, drawn above the input line on a terminal so that incoming messages never mix
// with what is being typed.
import { clearLine, createInterface, cursorTo } from "node:readline";

/** The interactive chat's terminal (`createTerminal`). */
export type Terminal = ReturnType<typeof createTerminal>;

/** Lines in, one at a time; lines out above the prompt on a terminal. */
export function createTerminal() {
  const tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: tty });
  const lines: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let ended = false;
  rl.on("line", (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter(line);
    else lines.push(line);
  });
  rl.on("close", () => {
    ended = true;
    for (const waiter of waiting.splice(0)) waiter(undefined);
  });
  rl.setPrompt("> ");
  const next = (): Promise<string | undefined> => {
    const line = lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (ended) return Promise.resolve(undefined);
    if (tty) rl.prompt();
    return new Promise((resolve) => waiting.push(resolve));
  };
  return {
    say(out: string[]) {
      if (tty) {
        clearLine(process.stdout, 0);
        cursorTo(process.stdout, 0);
      }
      process.stdout.write(`${out.join("\n")}\n`);
      if (tty && waiting.length > 0) rl.prompt(true);
    },
    next,
    async ask(question: string) {
      if (tty) rl.setPrompt(question);
      else process.stdout.write(`${question}\n`);
      const answer = await next();
      rl.setPrompt("> ");
      return answer;
    },
    close() {
      rl.close();
    },
  };
}
