import { sleep } from 'n8n-workflow';

/**
 * Sliding-window limit on request starts: in any window of `windowMs` at most
 * `limit` requests start. Retries acquire a slot like first attempts do.
 */
export class RateLimiter {
	private readonly starts: number[] = [];

	constructor(
		private readonly limit: number,
		private readonly windowMs = 60_000,
	) {}

	async acquire(signal?: AbortSignal): Promise<void> {
		for (;;) {
			const now = Date.now();
			while (this.starts.length > 0 && this.starts[0] + this.windowMs <= now) this.starts.shift();
			if (this.starts.length < this.limit) {
				this.starts.push(now);
				return;
			}
			// Another waiter may take the freed slot first; the loop then waits again.
			await sleep(this.starts[0] + this.windowMs - now, signal);
		}
	}
}
