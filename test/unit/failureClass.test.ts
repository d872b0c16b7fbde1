/** One classification per failure: the retry decision and the hint read the same one. */
import { PROVIDERS } from '../../nodes/shared/providers';
import { httpApiError } from '../../nodes/shared/transport/errors';
import type { FailureClass } from '../../nodes/shared/transport/failureClass';
import { classifyHttpFailure } from '../../nodes/shared/transport/failureClass';
import { isRetryableStatus } from '../../nodes/shared/transport/retryPolicy';
import { recordedCase, recordedCaseNames } from '../support/realResponses';

const node = {
	id: '1',
	name: 'LLM Chat',
	type: 'n8n-nodes-llm-chat.llmChat',
	typeVersion: 1,
	position: [0, 0] as [number, number],
	parameters: {},
};
const OFFERS = {
	maxConcurrency: 'Max Concurrent Requests',
	requestsPerMinute: 'Requests per Minute',
	maxRetries: 'Max Retries',
};

/**
 * Together's free tier, as a user pasted it (togethercomputer/MoA issue #27, 2024-06):
 * a 429 of type `credit_limit` that names billing, but whose limit is per minute.
 */
const TOGETHER_FREE_TIER = {
	error: {
		message:
			'You have been rate limited. Your rate limit is 60 queries per minute. Please navigate to https://api.together.xyz/settings/billing to upgrade to a paid plan.',
		type: 'credit_limit',
		param: null,
		code: null,
	},
};

const hintOf = (status: number, body: unknown) =>
	httpApiError(node, PROVIDERS.openAi, {
		status,
		body,
		url: 'http://x/v1',
		attempts: 1,
		offers: OFFERS,
	}).description ?? '';

describe('what each failure is', () => {
	it.each<[string, number, unknown, FailureClass]>([
		[
			'OpenAI insufficient_quota',
			429,
			{
				error: {
					message: 'You exceeded your current quota',
					type: 'insufficient_quota',
					code: 'insufficient_quota',
				},
			},
			'quota',
		],
		[
			'OpenAI tokens per min',
			429,
			{
				error: {
					message: 'Rate limit reached for gpt-4 on tokens per min. Limit: 90000 / min.',
					code: 'rate_limit_exceeded',
				},
			},
			'rate-limit',
		],
		["Together's free tier (credit_limit, per minute)", 429, TOGETHER_FREE_TIER, 'rate-limit'],
		[
			'a 429 about credits and nothing else',
			429,
			{ error: { message: 'Your credit balance is too low' } },
			'quota',
		],
		['a 429 with no body', 429, '', 'rate-limit'],
		[
			'Hugging Face 402',
			402,
			{ error: 'You have depleted your monthly included credits.' },
			'quota',
		],
		['401', 401, { error: { message: 'Invalid API key' } }, 'auth'],
		['403', 403, '', 'auth'],
		['404', 404, '', 'unknown-model'],
		[
			'400 naming an unknown model',
			400,
			{ error: { message: "The requested model 'x' does not exist." } },
			'unknown-model',
		],
		['400 otherwise', 400, { error: { message: 'Invalid request' } }, 'bad-request'],
		['422', 422, { error: 'Input validation error', error_type: 'validation' }, 'bad-request'],
		['500', 500, '', 'server'],
		['503', 503, '', 'server'],
		['501', 501, '', 'server-refused'],
		['408', 408, '', 'transient'],
		['409', 409, '', 'transient'],
		['302', 302, '', 'redirect'],
		['418', 418, '', 'other'],
	])('%s: %s', (_name, status, body, expected) => {
		expect(classifyHttpFailure(status, body)).toBe(expected);
	});
});

describe('the retry decision and the hint agree', () => {
	/** A hint that says retrying cannot help, or that promises nothing from retrying. */
	const saysNoRetry = (hint: string) => /cannot help|did not retry/.test(hint);
	const saysRetry = (hint: string) => /kept rate-limiting|usually temporary/.test(hint);

	const recorded = recordedCaseNames((name) => /--[345]\d\d-/.test(name)).map((name) => {
		const { response } = recordedCase(name);
		return [name, response.status, response.body] as [string, number, unknown];
	});

	it.each<[string, number, unknown]>([
		...recorded,
		['together credit_limit (MoA #27)', 429, TOGETHER_FREE_TIER],
		['a 429 about credits', 429, { error: { message: 'Your credit balance is too low' } }],
		['501', 501, ''],
	])('%s', (_name, status, body) => {
		const retried = isRetryableStatus(status, body);
		const hint = hintOf(status, body);
		if (retried) expect(saysNoRetry(hint)).toBe(false);
		if (saysNoRetry(hint)) expect(retried).toBe(false);
		if (saysRetry(hint)) expect(retried).toBe(true);
	});

	it("Together's free-tier 429 is retried and its hint is about the rate, not billing", () => {
		// Before: retried three times under a hint that said retrying cannot help.
		expect(isRetryableStatus(429, TOGETHER_FREE_TIER)).toBe(true);
		expect(hintOf(429, TOGETHER_FREE_TIER)).toMatch(/^The provider kept rate-limiting/);
	});
});
