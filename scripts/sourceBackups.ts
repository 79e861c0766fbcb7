// Backups of the alert sources and alert attributes (backup-routes writes them beside the routes):
// <out>/alert_sources/<id>.json and <out>/alert_attributes/<id>.json, keys sorted. A source's
// `secret_token` is removed before anything is written (the file says so): a backup is read by
// people and tools that must never see it, and no payload can set it back anyway.
import * as fs from "node:fs";
import * as path from "node:path";

import { describeValue, isSafeId, type AlertSourceResponse, type IncidentIoClient } from "../providers/incident-io";
import { stableJson } from "./cli";

export const SOURCES_DIR = "alert_sources";
export const ATTRIBUTES_DIR = "alert_attributes";
export const TOKEN_REMOVED_NOTE =
    "secret_token was removed from this backup: it is secret, read-only and cannot be restored (no payload carries it). The live source keeps it; the stack holds it as the AlertSource's secret output.";

/** The file's text for one source: without its token, with the note saying so. */
export function sourceBackupText(source: AlertSourceResponse): string {
    const { secret_token, ...rest } = source;
    return stableJson({ alert_source: rest, ...(secret_token !== undefined ? { note: TOKEN_REMOVED_NOTE } : {}) });
}

export interface CatalogueOutcome {
    sources: number;
    attributes: number;
    problems: string[];
}

/** Lists every source and attribute (each list is one request) and writes one file each. */
export async function backupCatalogue(
    client: IncidentIoClient,
    out: string,
    write: (file: string, text: string) => unknown,
): Promise<CatalogueOutcome> {
    const outcome: CatalogueOutcome = { sources: 0, attributes: 0, problems: [] };
    const save = (dir: string, id: string, text: string) => {
        // Not today's ULID pattern: incident.io may change its id format (compatibility promise, providers/incident-io/ids.ts).
        // What matters for a file name is that the id names no other path: letters, digits, _ and -.
        if (!isSafeId(id)) throw new Error(`the list gave ${describeValue(id)}, which is not an id of letters, digits, _ and -`);
        fs.mkdirSync(path.join(out, dir), { recursive: true });
        write(path.join(out, dir, `${id}.json`), text);
    };
    // One refused entry is named and the others are still saved: no source is lost for another's id.
    const each = async <T extends { id: string }>(what: string, list: () => Promise<T[]>, dir: string, text: (item: T) => string) => {
        let items: T[];
        try {
            items = await list();
        } catch (error) {
            outcome.problems.push(`${what}: ${(error as Error).message}`);
            return 0;
        }
        let saved = 0;
        for (const item of items) {
            try {
                save(dir, item.id, text(item));
                saved++;
            } catch (error) {
                outcome.problems.push(`${what}: ${(error as Error).message}`);
            }
        }
        return saved;
    };
    outcome.sources = await each("alert sources", () => client.listAlertSources(), SOURCES_DIR, sourceBackupText);
    outcome.attributes = await each(
        "alert attributes",
        () => client.listAlertAttributes(),
        ATTRIBUTES_DIR,
        (attribute) => stableJson({ alert_attribute: attribute }),
    );
    return outcome;
}
