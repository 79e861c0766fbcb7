// Builds AlertRouteHandlers wired to an emulator, as `configure` would in the host.
import { AlertRouteHandlers } from "../../providers/incident-io/handlers";
import type { IncidentIoEmulator } from "../../dev/emulator";

export const TEST_API_KEY = "test-api-key";

export interface TestHandlers {
    handlers: AlertRouteHandlers;
    logs: string[];
}

export async function handlersFor(emulator: Pick<IncidentIoEmulator, "url">, config: Record<string, string> = {}): Promise<TestHandlers> {
    const logs: string[] = [];
    const handlers = new AlertRouteHandlers((line) => logs.push(line));
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
