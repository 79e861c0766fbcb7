// A first adoption, end to end, against the emulator: starts it seeded with the company's
// workspace (six live routes, both environments' sources, 120 other routes) and waits.
//
//   TS_NODE_TRANSPILE_ONLY=true node --require ts-node/register test/support/adoptionDemo.ts   # prints the base URL
//   export INCIDENT_IO_TOKEN=demo-api-key
//   npm run discover-config -- --stack production --base-url <url> --write
//   npm run backup-routes -- --base-url <url>
//   npm run import-routes -- backups/incident.io
//
// Stop it with Ctrl-C (or kill <pid>).
import { IncidentIoEmulator } from "../../dev/emulator";
import { seedWorkspace } from "../../dev/seed/workspace";

async function run(): Promise<void> {
    const emu = await IncidentIoEmulator.start({ apiKey: "demo-api-key" });
    seedWorkspace(emu);
    process.stdout.write(`${emu.url}\n`);
    const stop = () => void emu.close().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
}

void run();
