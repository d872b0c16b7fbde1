import { sleep } from 'n8n-workflow';

/** What a race against the deadline gives when time ran out first. */
export const EXPIRED: unique symbol = Symbol('expired');

// Made once: an abort reason made per attempt (a DOMException by default) costs a stack trace,
// and every attempt that ends in time clears its timer.
const CLEARED = new Error('the attempt ended in time');

/**
 * One attempt's Timeout, from the first byte sent to the last byte read. n8n's HTTP
 * layer times out only the connection and idle sockets, so a server trickling a byte
 * now and then would hold an item for ever: every wait of an attempt races this.
 * Its `signal` also fires when the execution is cancelled.
 */
export class Deadline {
	/** Aborted when the time is up or the execution is cancelled: n8n then closes the socket. */
	readonly signal: AbortSignal;
	private readonly expiry = new AbortController();
	private readonly timer = new AbortController();
	private readonly cancel?: AbortSignal;
	private readonly onCancel = () => this.expiry.abort(this.cancel?.reason);
	// Callbacks rather than Promise.race on one shared promise: a stream reads thousands of
	// chunks, and each race would leave a reaction behind on the shared promise.
	private readonly waiting = new Set<() => void>();
	private hasExpired = false;

	constructor(
		readonly timeoutMs: number,
		cancel?: AbortSignal,
	) {
		this.signal = this.expiry.signal;
		// A listener rather than AbortSignal.any, which costs several times more per attempt.
		this.cancel = cancel;
		if (cancel?.aborted) this.onCancel();
		else cancel?.addEventListener('abort', this.onCancel, { once: true });
		sleep(timeoutMs, this.timer.signal).then(
			() => this.expire(),
			() => {}, // cleared: the attempt ended in time
		);
	}

	get expired(): boolean {
		return this.hasExpired;
	}

	/** The promise's value, or EXPIRED when the deadline comes first. */
	async race<T>(promise: Promise<T>): Promise<T | typeof EXPIRED> {
		if (this.hasExpired) return EXPIRED;
		return await new Promise<T | typeof EXPIRED>((resolve, reject) => {
			const onExpire = () => resolve(EXPIRED);
			this.waiting.add(onExpire);
			promise.then(
				(value) => {
					this.waiting.delete(onExpire);
					resolve(value);
				},
				(error: unknown) => {
					this.waiting.delete(onExpire);
					reject(error);
				},
			);
		});
	}

	/** The attempt is over: the timer stops and nothing is aborted. */
	clear(): void {
		this.timer.abort(CLEARED);
		this.cancel?.removeEventListener('abort', this.onCancel);
		this.waiting.clear();
	}

	private expire() {
		this.hasExpired = true;
		this.expiry.abort(new Error(`timeout of ${this.timeoutMs} ms exceeded`));
		for (const onExpire of this.waiting) onExpire();
		this.waiting.clear();
	}
}
