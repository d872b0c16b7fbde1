/** Fallback models: the item's send tried on the next model when the current one is down. */
import {
	FALLBACK_COOL_DOWN_MS,
	FALLBACK_FAILURES_BEFORE_COOL_DOWN,
	MAX_COOL_DOWN_ENTRIES,
} from '../defaults';
import { mayFallBack } from '../transport/failureClass';
import type { Fail } from './validation';

/** The model ids of the option, in order: one per line or separated by commas. */
export function readFallbackModels(value: unknown, primary: string, label: string, fail: Fail) {
	if (value === undefined || value === null || value === '') return [];
	const list = Array.isArray(value) ? value.map(String) : String(value).split(/[\n,]/);
	const ids = list.map((id) => id.trim());
	// A trailing comma or newline is a slip, not an empty id; one in the middle is refused.
	while (ids.length > 0 && ids[ids.length - 1] === '') ids.pop();
	const seen = new Set([primary]);
	ids.forEach((id, index) => {
		if (id === '') fail(`${label}: entry ${index + 1} is empty`);
		if (seen.has(id))
			fail(
				`${label}: "${id}" is listed twice${id === primary ? ' (it is the Model itself)' : ''}`,
				'Each model is tried once per item: list each fallback model once, not the Model itself.',
			);
		seen.add(id);
	});
	return ids;
}

interface ModelHealth {
	failures: number;
	coolUntil: number;
	lastError: string;
}

/**
 * Consecutive failures per credential and model, shared by every execution of this process
 * (like the Requests per Minute windows): a model that keeps failing is skipped for a while
 * instead of costing each item its retries. Bounded: the oldest entries go first.
 */
export class ModelHealthBook {
	private readonly book = new Map<string, ModelHealth>();

	constructor(
		private readonly threshold = FALLBACK_FAILURES_BEFORE_COOL_DOWN,
		private readonly coolDownMs = FALLBACK_COOL_DOWN_MS,
		private readonly maxEntries = MAX_COOL_DOWN_ENTRIES,
	) {}

	get size(): number {
		return this.book.size;
	}

	/** Set when the model is being skipped: the error that made it so. */
	coolingDown(key: string, model: string, now = Date.now()): ModelHealth | undefined {
		const health = this.book.get(JSON.stringify([key, model]));
		return health && health.coolUntil > now ? health : undefined;
	}

	failed(key: string, model: string, message: string, now = Date.now()): void {
		const id = JSON.stringify([key, model]);
		const health = this.book.get(id) ?? { failures: 0, coolUntil: 0, lastError: '' };
		health.failures++;
		health.lastError = message;
		if (health.failures >= this.threshold) {
			health.coolUntil = now + this.coolDownMs;
			// After the cool-down one failure is enough to start another.
			health.failures = this.threshold - 1;
		}
		this.book.delete(id); // re-inserted last: the map's order is the eviction order
		this.book.set(id, health);
		while (this.book.size > this.maxEntries) this.book.delete(this.book.keys().next().value!);
	}

	succeeded(key: string, model: string): void {
		this.book.delete(JSON.stringify([key, model]));
	}
}

export const processModelHealth = new ModelHealthBook();

export interface Answered<T> {
	value: T;
	/** The model that answered. */
	model: string;
	/** Set when a fallback model answered: the primary model and why it did not. */
	fallbackFrom?: { model: string; error: string };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Sends to each model in turn (the primary first) until one answers. Only a failure that
 * another model may not share moves on (see mayFallBack); any other is thrown at once.
 * Models cooling down are skipped; when all of them are, the primary is tried anyway: an
 * item never fails without a request. With no fallback models this is just `send(primary)`.
 */
export async function sendWithFallback<T>(
	models: string[],
	key: string,
	send: (model: string) => Promise<T>,
	health: ModelHealthBook = processModelHealth,
): Promise<Answered<T>> {
	const [primary] = models;
	if (models.length === 1) return { value: await send(primary), model: primary };
	const skipped = new Map<string, string>();
	for (const model of models) {
		const cooling = health.coolingDown(key, model);
		if (cooling)
			skipped.set(
				model,
				`skipped (cooling down after repeated failures; last: ${cooling.lastError})`,
			);
	}
	let turn = models.filter((model) => !skipped.has(model));
	if (turn.length === 0) turn = [primary];
	const errors: Array<{ model: string; error: unknown }> = [];
	// Ends by returning an answer or throwing: the last model's failure is thrown as it is.
	for (let index = 0; ; index++) {
		const model = turn[index];
		// Settled into a value, not caught: the transport's error goes on unchanged.
		const settled = await send(model).then(
			(value) => ({ value }),
			(error: unknown) => ({ error }),
		);
		if ('value' in settled) {
			health.succeeded(key, model);
			const { value } = settled;
			if (model === primary) return { value, model };
			const primaryError =
				skipped.get(primary) ?? messageOf(errors.find((e) => e.model === primary)?.error);
			return { value, model, fallbackFrom: { model: primary, error: primaryError } };
		}
		const { error } = settled;
		if (!mayFallBack(error)) return await Promise.reject(error);
		health.failed(key, model, messageOf(error));
		errors.push({ model, error });
		if (index === turn.length - 1) return await Promise.reject(withTried(error, errors));
	}
}

/** The last model's error, its description naming what the models before it answered. */
function withTried(error: unknown, errors: Array<{ model: string; error: unknown }>): unknown {
	if (errors.length < 2 || !(error instanceof Error)) return error;
	const tried = errors.map((e) => `${e.model}: ${messageOf(e.error)}`).join('\n');
	const withDescription = error as Error & { description?: string | null };
	withDescription.description = [withDescription.description, `Models tried in order:\n${tried}`]
		.filter(Boolean)
		.join('\n\n');
	return error;
}
