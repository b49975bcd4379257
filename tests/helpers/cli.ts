import type { Io } from '../../cli/io';
import { run } from '../../cli/program';

/** The CLI run in-process (the same code as the binary) with its output captured. */
export async function runCli(env: NodeJS.ProcessEnv, ...args: string[]) {
  let out = '';
  let err = '';
  const io: Io = {
    env,
    out: (t) => {
      out += `${t}\n`;
    },
    err: (t) => {
      err += `${t}\n`;
    },
    interactive: false,
  };
  const code = await run(args, io);
  return { code, out, err, json: () => JSON.parse(out) };
}
