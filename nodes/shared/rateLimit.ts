import { sleep } from 'n8n-workflow';

/**
 * Sliding windows on request starts, one per key: in any `windowMs` at most
 * `limit` requests start under a key. Retries take a slot like first attempts do.
 * Windows with no start left in them are dropped, so memory stays bounded by
 * the keys used within the last window.
 */
export class SlidingWindows {
	private readonly windows = new Map<string, number[]>();

	constructor(private readonly windowMs = 60_000) {}

	get size(): number {
		return this.windows.size;
	}

	/** Callers sharing a key may set different limits; each waits for its own. */
	async acquire(key: string, limit: number, signal?: AbortSignal): Promise<void> {
		for (;;) {
			const now = Date.now();
			this.dropIdle(now);
			// Looked up on every pass: a window dropped while this caller slept is made anew.
			let starts = this.windows.get(key);
			if (starts === undefined) this.windows.set(key, (starts = []));
			if (starts.length < limit) {
				starts.push(now);
				return;
			}
			await sleep(starts[starts.length - limit] + this.windowMs - now, signal);
		}
	}

	private dropIdle(now: number) {
		for (const [key, starts] of this.windows) {
			while (starts.length > 0 && starts[0] + this.windowMs <= now) starts.shift();
			if (starts.length === 0) this.windows.delete(key);
		}
	}
}

/**
 * This n8n process's windows. Module state is shared by every execution, node and
 * item, so a credential's budget is one budget. Queue-mode workers are separate
 * processes, each with its own windows.
 */
export const processRateLimits = new SlidingWindows();

/** A credential and the endpoint it points at: the unit a provider's rate limit applies to. */
export function rateLimitKey(credentialId: string, baseUrl: string, apiVersion: string): string {
	return JSON.stringify([credentialId, baseUrl.trim(), apiVersion.trim()]);
}

export interface RateLimit {
	acquire(signal?: AbortSignal): Promise<void>;
}

export function rateLimitFor(key: string, perMinute: number): RateLimit | undefined {
	if (!(perMinute > 0)) return undefined;
	return { acquire: async (signal) => await processRateLimits.acquire(key, perMinute, signal) };
}
