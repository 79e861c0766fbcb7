// Identifier helpers: ULID-style ids (26 chars, Crockford base32, time-ordered) and request ids.
import { randomBytes, randomUUID } from "node:crypto";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function encode(value: bigint, length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) {
        out = CROCKFORD[Number(value & 31n)] + out;
        value >>= 5n;
    }
    return out;
}

let lastTime = -1;
let lastRandom = 0n;
const RANDOM_MAX = (1n << 80n) - 1n;

/**
 * A new ULID: 48-bit millisecond timestamp + 80 random bits. Monotonic within a
 * process (ids made in the same millisecond increment the random part), so sorting
 * ids sorts by creation order.
 */
export function newUlid(now: number = Date.now()): string {
    if (now <= lastTime) {
        lastRandom = lastRandom >= RANDOM_MAX ? 0n : lastRandom + 1n;
        now = lastTime;
    } else {
        lastTime = now;
        lastRandom = BigInt("0x" + randomBytes(10).toString("hex")) >> 1n; // leave headroom for increments
    }
    return encode(BigInt(now), 10) + encode(lastRandom, 16);
}

export function newRequestId(): string {
    return randomUUID();
}
