/** Whether a failed attempt is retried, and after how long. */
import type { IDataObject } from 'n8n-workflow';

import { isObject } from '../json';
import { RATE_LIMIT_RESET_HEADERS } from '../providers';
import { classifyHttpFailure, isRetryableClass } from './failureClass';

/** Failures before or during the response that a new connection can cure. */
const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'EPIPE',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EAI_AGAIN',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
]);

const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;

/**
 * Timeouts, conflicts, rate limits and server faults a later attempt can cure, as the
 * failure is classified for its hint too, so the two never disagree.
 */
export function isRetryableStatus(status: number, body: unknown): boolean {
	return isRetryableClass(classifyHttpFailure(status, body));
}

export function isRetryableNetworkCode(code: string | undefined): boolean {
	return code !== undefined && RETRYABLE_NETWORK_CODES.has(code);
}

/** Exponential backoff with jitter: ~0.5 s, 1 s, 2 s ... capped near 8 s, each shortened by up to 25 %. */
export function backoffDelayMs(retryNumber: number, random: () => number = Math.random): number {
	const base = Math.min(INITIAL_DELAY_MS * 2 ** retryNumber, MAX_DELAY_MS);
	return Math.round(base * (1 - 0.25 * random()));
}

/**
 * How long the server asked to wait before the next attempt, in ms: `retry-after-ms`
 * (OpenAI), `Retry-After` (seconds or an HTTP date), the rate-limit reset headers
 * of providers that send no Retry-After, or Hugging Face's `estimated_time` while a
 * model loads. Undefined when it said nothing readable, so the caller backs off.
 */
export function serverWaitMs(
	headers: IDataObject | undefined,
	body?: unknown,
	now = Date.now(),
): number | undefined {
	const header = (name: string) => {
		const value = headers?.[name] ?? headers?.[name.toLowerCase()];
		return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	};
	const candidates: Array<number | undefined> = [
		seconds(header('retry-after-ms'), 1),
		seconds(header('retry-after'), 1000) ?? httpDate(header('retry-after'), now),
		// When several limits are reported, the request must wait for the one that resets last.
		maxOf(
			RATE_LIMIT_RESET_HEADERS.map(({ name, unit }) =>
				unit === 'seconds' ? seconds(header(name), 1000) : duration(header(name)),
			),
		),
		estimatedTime(body),
	];
	const found = candidates.find((ms) => ms !== undefined && Number.isFinite(ms) && ms >= 0);
	return found === undefined ? undefined : Math.ceil(found);
}

function maxOf(values: Array<number | undefined>): number | undefined {
	const known = values.filter((value): value is number => value !== undefined);
	return known.length > 0 ? Math.max(...known) : undefined;
}

const seconds = (value: string, unitMs: number) =>
	/^\d+(\.\d+)?$/.test(value) ? Number(value) * unitMs : undefined;

function httpDate(value: string, now: number): number | undefined {
	const at = value === '' ? NaN : Date.parse(value);
	return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Go-style durations as OpenAI sends them: "20ms", "1s", "6m0s", "1h2m3.5s". */
function duration(value: string): number | undefined {
	if (!/^(\d+(\.\d+)?(h|m|s|ms))+$/.test(value)) return seconds(value, 1000);
	const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
	let total = 0;
	for (const [, amount, , unit] of value.matchAll(/(\d+(\.\d+)?)(ms|h|m|s)/g))
		total += Number(amount) * units[unit];
	return total;
}

function estimatedTime(body: unknown): number | undefined {
	const value = isObject(body) ? body.estimated_time : undefined;
	return typeof value === 'number' ? value * 1000 : undefined;
}
