import {
	backoffDelayMs,
	isRetryableNetworkCode,
	isRetryableStatus,
	retryAfterMs,
} from '../../nodes/shared/transport/retry';

describe('which failures are retried', () => {
	it.each([408, 409, 429, 500, 502, 503, 504])('retries HTTP %i', (status) => {
		expect(isRetryableStatus(status, '')).toBe(true);
	});

	it.each([400, 401, 403, 404, 422])('does not retry HTTP %i', (status) => {
		expect(isRetryableStatus(status, { error: { message: 'no' } })).toBe(false);
	});

	it('does not retry a 429 whose body says the quota is exhausted', () => {
		const body = {
			error: {
				message: 'You exceeded your current quota',
				type: 'insufficient_quota',
				code: 'insufficient_quota',
			},
		};
		expect(isRetryableStatus(429, body)).toBe(false);
		expect(isRetryableStatus(429, JSON.stringify(body))).toBe(false);
		expect(
			isRetryableStatus(429, { error: { message: 'Rate limit reached', type: 'requests' } }),
		).toBe(true);
	});

	it('retries resets, refusals and socket timeouts but not DNS failures', () => {
		for (const code of ['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE']) {
			expect(isRetryableNetworkCode(code)).toBe(true);
		}
		expect(isRetryableNetworkCode('ENOTFOUND')).toBe(false);
		expect(isRetryableNetworkCode(undefined)).toBe(false);
	});
});

describe('backoff', () => {
	it('starts near 0.5 s, doubles and caps near 8 s', () => {
		const noJitter = () => 0;
		expect([0, 1, 2, 3, 4, 5, 9].map((n) => backoffDelayMs(n, noJitter))).toEqual([
			500, 1000, 2000, 4000, 8000, 8000, 8000,
		]);
	});

	it('shortens each wait by at most a quarter (jitter)', () => {
		expect(backoffDelayMs(0, () => 1)).toBe(375);
		expect(backoffDelayMs(4, () => 0.5)).toBe(7000);
	});
});

describe('Retry-After', () => {
	const now = Date.parse('2026-11-22T12:00:00Z');

	it('prefers retry-after-ms', () => {
		expect(retryAfterMs({ 'retry-after-ms': '250', 'retry-after': '9' }, now)).toBe(250);
	});

	it('reads seconds and HTTP dates', () => {
		expect(retryAfterMs({ 'retry-after': '2' }, now)).toBe(2000);
		expect(retryAfterMs({ 'retry-after': '1.5' }, now)).toBe(1500);
		expect(retryAfterMs({ 'retry-after': 'Sun, 22 Nov 2026 12:00:03 GMT' }, now)).toBe(3000);
	});

	it('ignores absent, unreadable, negative or unreasonable values (over a minute)', () => {
		expect(retryAfterMs(undefined, now)).toBeUndefined();
		expect(retryAfterMs({}, now)).toBeUndefined();
		expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
		expect(retryAfterMs({ 'retry-after': 'Sun, 22 Nov 2026 11:59:00 GMT' }, now)).toBeUndefined();
		expect(retryAfterMs({ 'retry-after': '3600' }, now)).toBeUndefined();
		expect(retryAfterMs({ 'retry-after': '60' }, now)).toBe(60000);
	});
});
