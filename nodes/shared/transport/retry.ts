import type { IDataObject } from 'n8n-workflow';

import { providerErrorInfo } from './errors';

/** Statuses a later attempt can cure: timeouts, conflicts, rate limits, server faults. */
const RETRYABLE_STATUSES = new Set([408, 409, 429, 500, 502, 503, 504]);

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
/** A server asking for a longer pause than this is not going to recover within one execution. */
const MAX_RETRY_AFTER_MS = 60_000;

export function isQuotaExhausted(body: unknown): boolean {
	const info = providerErrorInfo(body);
	return info?.code === 'insufficient_quota' || info?.type === 'insufficient_quota';
}

export function isRetryableStatus(status: number, body: unknown): boolean {
	if (status === 429 && isQuotaExhausted(body)) return false;
	return RETRYABLE_STATUSES.has(status);
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
 * Reads `retry-after-ms` (OpenAI) or `Retry-After` (seconds or an HTTP date).
 * Returns undefined when absent or unreasonable, so the caller backs off instead.
 */
export function retryAfterMs(
	headers: IDataObject | undefined,
	now = Date.now(),
): number | undefined {
	if (!headers) return undefined;
	const header = (name: string) => {
		const value = headers[name] ?? headers[name.toLowerCase()];
		return typeof value === 'string' || typeof value === 'number'
			? String(value).trim()
			: undefined;
	};
	let delay: number | undefined;
	const ms = header('retry-after-ms');
	if (ms !== undefined && ms !== '' && Number.isFinite(Number(ms))) {
		delay = Number(ms);
	} else {
		const value = header('retry-after');
		if (value !== undefined && value !== '') {
			delay = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
		}
	}
	if (delay === undefined || !Number.isFinite(delay) || delay < 0 || delay > MAX_RETRY_AFTER_MS) {
		return undefined;
	}
	return Math.ceil(delay);
}
