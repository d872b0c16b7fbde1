/**
 * Serializes everything reachable from a value, including the non-enumerable
 * `message`, `stack` and `cause` of errors, so a test can search it for a secret.
 */
export function deepSerialize(value: unknown): string {
	const seen = new WeakSet<object>();
	const walk = (v: unknown): unknown => {
		if (typeof v !== 'object' || v === null) return v;
		if (seen.has(v)) return '[circular]';
		seen.add(v);
		if (Array.isArray(v)) return v.map(walk);
		const out: Record<string, unknown> = {};
		for (const key of Object.getOwnPropertyNames(v)) {
			try {
				out[key] = walk((v as Record<string, unknown>)[key]);
			} catch {
				out[key] = '[unreadable]';
			}
		}
		return out;
	};
	return JSON.stringify(walk(value)) ?? '';
}
