// The shared core of this project's dynamic resources (incident.io's AlertRoute, AlertSource,
// AlertAttribute; Checkly's alert channel). A resource keeps only what is its own; the core does the rest.
//
// API, in the order you need it:
//
//  1. A backend, once per API (see providers/incident-io/backend.ts):
//       const backend: Backend<Settings extends CoreSettings, Client> = {
//           product: "Checkly",                                   // in messages and log lines
//           configKeys: { onConflict: "checkly:onConflict", claimManaged: "checkly:claimManaged" },
//           readSettings: (get) => ...,                           // throws one error naming every bad key
//           createClient: (settings, log) => ...,                 // the key read at call time, never captured
//           failure: (error) => ({ notFound, versionRejected, maybeApplied, requestId }) | undefined,
//       };                                                        // notFound: only the API's OWN 404
//
//  2. A kind, once per resource (see `alertRouteKind` in providers/incident-io/handlers.ts):
//       ResourceKind<Spec, Remote, Client> = { words, parse, validate, complete, pickSpec, fromResponse,
//           same, changedFields, liveField, extraOutputs?, version?, get, create, update, remove,
//           idsNamed, claim?, adoptionProblem?, checkChange? }
//     `Spec` is the create payload with defaults filled (has `name`); `Remote` the API's answer (has
//     `id`, `name`). No `version`: conflicts are found by comparing the live resource with the
//     stored live form (`outputs[liveField]`). No `claim`: nothing is claimed. `adoptionProblem`
//     refuses a live resource whatever the definition (at check and again at create). `checkChange`
//     refuses a change at preview: it gets the stored outputs (in state) or the live resource check
//     just read for adoption; return failures, make requests only through `client()` when needed.
//
//  3. The handlers: `class XHandlers extends ResourceHandlers<Spec, Remote, Inputs, Outputs, Client,
//     Settings> { constructor(log?) { super(kind, backend, log) } }` and one instance exported for
//     the shim. Inputs = Spec & OwnershipInputs (adoptId, adoptRenaming, adoptIdConfigKey,
//     pulumiProject, pulumiStack); Outputs = Inputs & { [liveField]: Spec, claimed?, ...extraOutputs }.
//
//  4. The shim Pulumi serializes into state: `handlersShim("providers/x/handlers", "xHandlers",
//     "__cacheKey")` (shim.ts): captures only those three strings, loads the handlers in the host.
//
// What the handlers do: check (parse → validate → complete, ownership inputs typed, adoption
// preview: a wrong id or another name fails, a log line says what adoption writes; then checkChange), diff
// (canonical compare, unknowns say "maybe", a missing claim is a change, never a replacement),
// create (POST, or adopt: GET and PUT only when different; a POST whose answer was lost is never
// retried), read (GET; the API's own 404 drops it; drifted fields come back as inputs), update
// (GET; no write when it matches; a conflict stops unless onConflict overwrite; PUT, read back after
// a lost answer or a refused version), delete (404 = done), and the claim after create/adopt.
export type { ApiFailure, Backend, CheckFailure, CoreSettings, KeyCheck, KindWords, ResourceKind } from "./kind";
export { ResourceHandlers, type DefinitionInputs, type ReadResultOf, type StoredOutputs } from "./resourceHandlers";
export { adoptionMismatch, claimAnnotations, claimMissing, OWNERSHIP_INPUTS, type OwnershipInput, type OwnershipInputs } from "./ownership";
export { containsUnknown, isUnknown, jsonClean, stableJson, UNKNOWN } from "./compare";
export { handlersShim } from "./shim";
export { SAME_NAME_LEVELS, sameNameMessage, type SameNameFinding, type SameNameLevel } from "./sameName";
export {
    configGetCommand,
    configRmCommand,
    configSetCommand,
    describeValue,
    escapeControl,
    isSafeId,
    pulumiCommand,
    SAFE_ID,
    shellQuote,
} from "./shell";
