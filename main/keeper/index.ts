/**
 * The keeper's composition root, main/index.ts's sibling for a server: the same core
 * (composeCore) under plain Node 24, no Electron, with server adapters: secrets in the Secret
 * Service or an AES-256-GCM folder, state in SQLite in the data folder, JSON log lines on stdout,
 * notifications to a webhook, /healthz and /metrics on a loopback port, the desktop's ports
 * answered headlessly. Decisions live in main/core (keeper/ and handover/ among them); these files
 * connect parts: open.ts (the data folder and the core over it), run.ts (the service),
 * commands.ts (the one-shot commands). Bundled by scripts/build-keeper.ts.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { EXIT, parseKeeperCommand } from '../core/keeper/options.js';
import { redactText } from '../core/redact.js';
import { addPasted, connectDevice, handback, initKey, once, receive } from './commands.js';
import { complain, PRODUCT, PROGRAM, Refusal, say } from './open.js';
import { run } from './run.js';

export async function keeperMain(argv: readonly string[]): Promise<number> {
  const parsed = parseKeeperCommand(argv, process.env, PROGRAM);
  if (!parsed.ok) {
    complain(`${parsed.error.message}\n\n${parsed.error.help}`);
    return EXIT.usage;
  }
  const command = parsed.value;
  try {
    switch (command.command) {
      case 'help':
        say(command.text);
        return EXIT.ok;
      case 'init-key':
        return initKey(command);
      case 'run':
        return await run(command);
      case 'add':
        return await once(command, addPasted);
      case 'connect':
        return await once(command, connectDevice);
      case 'receive':
        return await once(command, receive);
      case 'handback':
        return await once(command, handback);
    }
  } catch (error) {
    if (error instanceof Refusal) {
      complain(error.message);
      return error.code;
    }
    const what = error instanceof Error ? `${error.name}: ${redactText(error.message.split('\n')[0] ?? '')}` : 'unknown';
    complain(`${PRODUCT} stopped on an unexpected error (${what}). Nothing that was committed is lost; start it again, and report this if it repeats.`);
    return EXIT.failed;
  }
}

// Run as a program (the bundle, `npm run keeper`), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  void keeperMain(process.argv.slice(2)).then((code) => process.exit(code));
}

