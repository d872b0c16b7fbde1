/** A 429 that outlasts the retries, in each node: the hint names only that node's options. */
import { useFaultServer } from '../support/faultServer';
import { runWorkflow } from '../support/engine';
import { runModelWorkflow } from '../support/modelEngine';
import { credentialsFor, messageParams } from '../support/params';

const server = useFaultServer();

const RATE_LIMITED = {
	error: { message: 'Rate limit reached for gpt-4 on requests per min.', type: 'requests' },
};

describe('the 429 hint names only options the failing node has', () => {
	it('LLM Chat: Max Concurrent Requests, Requests per Minute, Max Retries', async () => {
		server.reply(429, RATE_LIMITED);
		const { error } = await runWorkflow({
			parameters: messageParams('openAi', { options: { maxRetries: 0 } }),
			credentials: credentialsFor('openAi', server.url),
		});
		expect(server.seen).toHaveLength(1);
		expect(error?.description).toBe(
			'The provider kept rate-limiting. Lower "Max Concurrent Requests", set "Requests per Minute", or raise "Max Retries".',
		);
	});

	it('LLM Chat Model: no Max Concurrent Requests, which it does not have', async () => {
		server.reply(429, RATE_LIMITED);
		const { error } = await runModelWorkflow({
			parameters: {
				provider: 'openAi',
				model: { __rl: true, mode: 'id', value: 'test-model' },
				options: { maxRetries: 0 },
			},
			credentials: credentialsFor('openAi', server.url),
			scenario: 'chat',
			items: [{ question: 'Hello?' }],
		});
		expect(server.seen).toHaveLength(1);
		expect(error?.message).toContain('Rate limit reached');
		expect(error?.description).toBe(
			'The provider kept rate-limiting. Set "Requests per Minute" or raise "Max Retries".',
		);
	});
});

describe("Together's free-tier 429 (credit_limit): a per-minute limit, so retried", () => {
	it('is retried Max Retries times and its hint is about the rate, not billing', async () => {
		// The body a user pasted in togethercomputer/MoA issue #27 (2024-06).
		server.reply(429, {
			error: {
				message:
					'You have been rate limited. Your rate limit is 60 queries per minute. Please navigate to https://api.together.xyz/settings/billing to upgrade to a paid plan.',
				type: 'credit_limit',
				param: null,
				code: null,
			},
		});
		const { error } = await runWorkflow({
			parameters: messageParams('togetherAi', { options: { maxRetries: 2 } }),
			credentials: credentialsFor('togetherAi', server.url),
		});
		expect(server.seen).toHaveLength(3);
		expect(error?.message).toMatch(/^Together AI API error 429: You have been rate limited\./);
		expect(error?.description).toMatch(/^The provider kept rate-limiting\./);
		expect(error?.description).not.toMatch(/cannot help|billing/);
	});
});
