/**
 * The entry point the build bundles into out/cli/data2crm-tray.cjs (scripts/build-cli.mjs): plain
 * Node, started directly, so `status` answers in well under 150 ms. Packaged apps run it with their
 * own binary and ELECTRON_RUN_AS_NODE=1 (resources/cli/).
 */
import { failureLine, run } from './main.js';

// A reader that goes away (`| head`) ends the output quietly.
process.stdout.on('error', () => process.exit(process.exitCode ?? 0));

run(process.argv.slice(2), {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  now: () => Date.now(),
  interrupted: () => new Promise<void>((resolve) => process.once('SIGINT', () => resolve())),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const { code, line } = failureLine(error);
    process.stderr.write(line);
    process.exitCode = code;
  },
);
