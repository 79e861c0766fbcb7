// How a message tells the operator to change one of the client's settings. The provider and the
// stack say `pulumi config set --stack <stack> '<key>' <value>`; the operator scripts, which take
// flags and the environment instead of stack config, say their own flag.
import { configGetCommand, configSetCommand, secretKeyFix } from "../../core/shell";
import { API_KEY_CONFIG } from "./apiKey";

export interface SettingFix {
    /** The exact command (or flag) that sets `key` to `value` (a secret key's command never holds its value). */
    set(key: string, value: string): string;
    /** How to give the secret `key` (or the environment variable `env`) again, in backticks: its value is never on the
     * line. `fromConfig`: the key in use came from `key`, which wins over `env`. */
    setSecret(key: string, env: string, fromConfig?: boolean): string;
    /** How to see the base URL in use. */
    showBaseUrl(): string;
}

/** For the provider and the stack: stack config of `stack` (`<stack>` while it is not known). */
export function stackSettingFix(stack: string | undefined): SettingFix {
    return {
        set: (key, value) => configSetCommand({ stack, key, value, secret: key === API_KEY_CONFIG || /:apiKey$/.test(key) }),
        setSecret: (key, env, fromConfig) => secretKeyFix({ stack, key, env, fromConfig }),
        showBaseUrl: () => configGetCommand(stack, "incident-io:baseUrl"),
    };
}
