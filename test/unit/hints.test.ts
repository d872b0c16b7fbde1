/** Hints name only the options the failing node has, with the labels its panel shows. */
import { offeredOptions as llmChatOptions } from '../../nodes/LlmChat/actions/message/description';
import { description as listModels } from '../../nodes/LlmChat/actions/listModels/description';
import { offeredOptions as modelOptions } from '../../nodes/LlmChatModel/description';
import { chatOptionFields, optionLabel } from '../../nodes/shared/chat/options.description';
import { PROVIDERS } from '../../nodes/shared/providers';
import { TOO_LARGE } from '../../nodes/shared/transport/body';
import type { OfferedOptions } from '../../nodes/shared/transport';
import { httpApiError, networkApiError } from '../../nodes/shared/transport/errors';

const node = {
	id: '1',
	name: 'node',
	type: 'n8n-nodes-llm-chat.llmChat',
	typeVersion: 1,
	position: [0, 0] as [number, number],
	parameters: {},
};
const RATE_LIMITED = { error: { message: 'Rate limit reached', type: 'requests' } };

const hint = (status: number, body: unknown, offers?: OfferedOptions, askedToWaitMs?: number) =>
	httpApiError(node, PROVIDERS.openAi, {
		status,
		body,
		url: 'http://x/v1/chat/completions',
		attempts: 3,
		offers,
		askedToWaitMs,
	}).description;

describe('what each node offers', () => {
	it('LLM Chat has Max Concurrent Requests; LLM Chat Model has neither it nor Tools', () => {
		expect(llmChatOptions.maxConcurrency).toBe('Max Concurrent Requests');
		expect(llmChatOptions.tools).toBe(optionLabel('tools'));
		expect(modelOptions).not.toHaveProperty('maxConcurrency');
		expect(modelOptions).not.toHaveProperty('tools');
		for (const name of ['requestsPerMinute', 'maxRetries', 'timeout', 'maxResponseSize'])
			expect(modelOptions[name]).toBe(optionLabel(name));
	});
});

describe('a rate limit that outlasted the retries', () => {
	it('in LLM Chat: names Max Concurrent Requests, Requests per Minute and Max Retries', () => {
		expect(hint(429, RATE_LIMITED, llmChatOptions)).toBe(
			'The provider kept rate-limiting. Lower "Max Concurrent Requests", set "Requests per Minute", or raise "Max Retries".',
		);
	});

	it('in LLM Chat Model: names no Max Concurrent Requests, which it does not have', () => {
		expect(hint(429, RATE_LIMITED, modelOptions)).toBe(
			'The provider kept rate-limiting. Set "Requests per Minute" or raise "Max Retries".',
		);
	});

	it('on the model list, which has no options: names none', () => {
		expect(hint(429, RATE_LIMITED)).toBe('The provider kept rate-limiting. Try again later.');
	});

	it('a server that asked to wait too long: the same rule', () => {
		expect(hint(429, RATE_LIMITED, llmChatOptions, 120_000)).toMatch(
			/Run the item again later, or lower "Max Concurrent Requests" or "Requests per Minute"\.$/,
		);
		expect(hint(429, RATE_LIMITED, modelOptions, 120_000)).toMatch(
			/Run the item again later, or lower "Requests per Minute"\.$/,
		);
		expect(hint(429, RATE_LIMITED, undefined, 120_000)).toMatch(/Run the item again later\.$/);
	});
});

describe('other hints that name options', () => {
	it('a server fault: Max Retries where the node has it', () => {
		expect(hint(500, '', modelOptions)).toMatch(/try again later or raise "Max Retries"\.$/);
		expect(hint(500, '')).toMatch(/usually temporary: try again later\.$/);
	});

	it('a refused request: the options the node has that the message may name', () => {
		expect(hint(400, { error: { message: 'bad' } }, llmChatOptions)).toContain(
			`"${optionLabel('tools')}"`,
		);
		expect(hint(400, { error: { message: 'bad' } }, modelOptions)).not.toContain(
			`"${optionLabel('tools')}"`,
		);
		expect(hint(400, { error: { message: 'bad' } }, modelOptions)).toContain(
			`"${optionLabel('maxTokens')}"`,
		);
	});

	const network = (code: string, offers?: OfferedOptions) =>
		networkApiError(node, PROVIDERS.openAi, {
			code,
			message: code,
			url: 'http://x',
			attempts: 1,
			timeoutMs: 5000,
			offers,
		}).description;

	it('a timeout: the Timeout option where the node has it', () => {
		expect(network('ETIMEDOUT', modelOptions)).toContain(`raise "${optionLabel('timeout')}"`);
		expect(network('ETIMEDOUT')).toBe('No answer arrived within 5 s. Try again later.');
	});

	it('an answer too large: Max Response Size where the node has it', () => {
		expect(network(TOO_LARGE, llmChatOptions)).toContain(
			`raise "${optionLabel('maxResponseSize')}"`,
		);
		expect(network(TOO_LARGE)).not.toContain('raise');
	});
});

describe('provider facts in the descriptions come from the provider table', () => {
	const describe = (name: string) =>
		String(chatOptionFields.find((field) => field.name === name)?.description);

	it('the stop sequence limit', () => {
		expect(describe('stop')).toContain(
			`OpenAI takes at most ${PROVIDERS.openAi.maxStopSequences}.`,
		);
	});

	it('which model lists tell chat models apart: Together AI and OpenAI, not Hugging Face', () => {
		const allTypes = listModels[0].options?.find((option) => option.name === 'allTypes');
		expect(allTypes).toHaveProperty(
			'description',
			expect.stringContaining('Only Together AI and OpenAI tell the types apart.'),
		);
	});
});
