// The scripts' names for the project's one shell-quoting helper (providers/core/shell.ts): a word
// of a printed command, safe to paste into a POSIX shell.
import { shellQuote } from "../providers/incident-io";

export const shellWord = shellQuote;

/** Always quoted, as the printed `--path '<key>'` arguments are (control characters as in shellWord). */
export function shellQuoted(value: string): string {
    const word = shellQuote(value);
    return word.startsWith("'") || word.startsWith("$'") ? word : `'${word}'`;
}
