import {
	backoffDelayMs,
	isRetryableNetworkCode,
	isRetryableStatus,
	serverWaitMs,
} from '../../nodes/shared/transport/retryPolicy';

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

	// Changed with the one failure classification (transport/failureClass.ts): the retry
	// decision now reads a 429's wording as the hint does.
	it("retries Together's free-tier 429 (credit_limit): its limit is per minute and clears by itself", () => {
		const body = {
			error: {
				message:
					'You have been rate limited. Your rate limit is 60 queries per minute. Please navigate to https://api.together.xyz/settings/billing to upgrade to a paid plan.',
				type: 'credit_limit',
				code: null,
			},
		};
		expect(isRetryableStatus(429, body)).toBe(true);
	});

	it('does not retry a 429 that says the account is out of credit (it was retried before)', () => {
		expect(
			isRetryableStatus(429, { error: { message: 'Your credit balance is too low to run this' } }),
		).toBe(false);
	});

	it('retries only the 5xx that clear by themselves (500, 502, 503, 504), as before', () => {
		for (const status of [501, 505, 507]) expect(isRetryableStatus(status, '')).toBe(false);
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

describe('how long the server asks to wait', () => {
	const now = Date.parse('2026-11-22T12:00:00Z');

	it('prefers retry-after-ms', () => {
		expect(serverWaitMs({ 'retry-after-ms': '250', 'retry-after': '9' }, undefined, now)).toBe(250);
	});

	it('reads seconds and HTTP dates', () => {
		expect(serverWaitMs({ 'retry-after': '2' }, undefined, now)).toBe(2000);
		expect(serverWaitMs({ 'retry-after': '1.5' }, undefined, now)).toBe(1500);
		expect(serverWaitMs({ 'retry-after': 'Sun, 22 Nov 2026 12:00:03 GMT' }, undefined, now)).toBe(
			3000,
		);
		expect(serverWaitMs({ 'retry-after': 'Sun, 22 Nov 2026 11:59:00 GMT' }, undefined, now)).toBe(
			0,
		);
	});

	it("reads Together's x-ratelimit-reset (seconds) and OpenAI's reset durations, the later one", () => {
		expect(serverWaitMs({ 'x-ratelimit-reset': '3' }, undefined, now)).toBe(3000);
		expect(
			serverWaitMs(
				{ 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' },
				undefined,
				now,
			),
		).toBe(360_000);
		expect(serverWaitMs({ 'x-ratelimit-reset-requests': '20ms' }, undefined, now)).toBe(20);
		expect(serverWaitMs({ 'x-ratelimit-reset-tokens': '1h2m3.5s' }, undefined, now)).toBe(
			3_723_500,
		);
		// Retry-After wins over the reset headers.
		expect(serverWaitMs({ 'retry-after': '2', 'x-ratelimit-reset': '30' }, undefined, now)).toBe(
			2000,
		);
	});

	it("reads Hugging Face's estimated_time while a model loads", () => {
		expect(
			serverWaitMs({}, { error: 'Model is currently loading', estimated_time: 20.5 }, now),
		).toBe(20_500);
	});

	it('returns nothing for absent or unreadable values, and reads long waits as they are', () => {
		expect(serverWaitMs(undefined, undefined, now)).toBeUndefined();
		expect(serverWaitMs({}, undefined, now)).toBeUndefined();
		expect(serverWaitMs({ 'retry-after': 'soon' }, undefined, now)).toBeUndefined();
		// The transport refuses to wait this long: it fails at once instead (engine test).
		expect(serverWaitMs({ 'retry-after': '3600' }, undefined, now)).toBe(3_600_000);
	});
});
