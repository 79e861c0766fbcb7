// One word of a command the scripts print, safe to paste into a POSIX shell: left bare when it
// holds only characters no shell treats specially, else single-quoted (a quote inside closed,
// escaped and reopened); control characters never reach the terminal raw.

/** Characters that need no quoting in sh, bash or zsh. */
const BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellWord(value: string): string {
    // A control character would run the rest of the line as another command: print it escaped.
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) {
        const escaped = [...value]
            .map((c) => {
                const code = c.charCodeAt(0);
                if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `\\x${code.toString(16).padStart(2, "0")}`;
                return c === "'" ? "\\'" : c === "\\" ? "\\\\" : c;
            })
            .join("");
        return `$'${escaped}'`;
    }
    if (value !== "" && BARE.test(value)) return value;
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Always single-quoted, as the printed `--path '<key>'` arguments are (control characters as in shellWord). */
export function shellQuoted(value: string): string {
    const word = shellWord(value);
    return word.startsWith("'") || word.startsWith("$'") ? word : `'${word}'`;
}
