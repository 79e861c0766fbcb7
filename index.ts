// The Pulumi program (package.json `main`): `pulumi up --stack production|staging`.
// What a stack manages is in stack/; docs/configuration.md has the config keys, docs/runbooks.md the runbooks.
import { alertRoutingStack } from "./stack/program";

const stack = alertRoutingStack();

export const environment = stack.environment;
export const routes = stack.routes;
export const alertSources = stack.alertSources;
export const alertAttributes = stack.alertAttributes;
export const alertEventsUrl = stack.alertEventsUrl;
export const alertmanagerConfig = stack.alertmanagerConfig;
export const tokenSecretArn = stack.tokenSecretArn;
export const tokenSecretVersionId = stack.tokenSecretVersionId;
export const alertmanagerBefore = stack.alertmanagerBefore;
export const checklyChannel = stack.checklyChannel;
