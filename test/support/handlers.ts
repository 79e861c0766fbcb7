// The provider wired to an emulator: the handlers in-process, as `configure` would set them up in
// the host, or the real dynamic-provider host configured as the engine would configure it.
import { AlertRouteHandlers } from "../../providers/incident-io/handlers";
import type { IncidentIoEmulator } from "../../dev/emulator";
import { DynamicProviderHost } from "../../dev/host";

export const TEST_API_KEY = "test-api-key";

export interface TestHandlers {
    handlers: AlertRouteHandlers;
    logs: string[];
}

export async function handlersFor(emulator: Pick<IncidentIoEmulator, "url">, config: Record<string, string> = {}): Promise<TestHandlers> {
    return configuredHandlers(emulator, (log) => new AlertRouteHandlers(log), config);
}

/** Any incident.io resource's handlers (`make` builds them with the log), configured as handlersFor's. */
export async function configuredHandlers<H extends Pick<AlertRouteHandlers, "configure">>(
    emulator: Pick<IncidentIoEmulator, "url">,
    make: (log: (line: string) => void) => H,
    config: Record<string, string> = {},
): Promise<{ handlers: H; logs: string[] }> {
    const logs: string[] = [];
    const handlers = make((line) => logs.push(line));
    const values: Record<string, string> = {
        "incident-io:apiKey": TEST_API_KEY,
        "incident-io:baseUrl": emulator.url,
        "incident-io:requestTimeoutSeconds": "2",
        "incident-io:maxRetries": "3",
        ...config,
    };
    await handlers.configure({
        config: {
            get: (key: string) => values[key],
            require: (key: string) => {
                if (values[key] === undefined) throw new Error(`missing ${key}`);
                return values[key];
            },
        },
    });
    return { handlers, logs };
}

/**
 * The real dynamic-provider host (started in `cwd`, the project root by default), configured with
 * `apiKey` as a secret and the emulator as the API; `INCIDENT_IO_TOKEN` is cleared so only the
 * stack config can supply the key.
 */
export async function hostFor(
    emulator: Pick<IncidentIoEmulator, "url">,
    apiKey: string,
    config: Record<string, string> = {},
    opts: { cwd?: string } = {},
): Promise<DynamicProviderHost> {
    const host = await DynamicProviderHost.start({ cwd: opts.cwd, env: { INCIDENT_IO_TOKEN: "" } });
    await host.configure(
        { "incident-io:apiKey": apiKey, "incident-io:baseUrl": emulator.url, ...config },
        { secretKeys: ["incident-io:apiKey"] },
    );
    return host;
}
