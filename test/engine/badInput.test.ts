import { useFaultServer } from '../support/faultServer';
import { runWorkflow } from '../support/engine';
import { credentialsFor, messageParams } from '../support/params';
import type { ProviderId } from '../support/params';

const server = useFaultServer();

const user = { messages: { values: [{ role: 'user', content: 'Hi' }] } };

// [case, provider, parameter overrides, the message the user reads]
const cases: Array<[string, ProviderId, Record<string, unknown>, string | RegExp]> = [
	[
		'missing model',
		'openAi',
		{ model: { __rl: true, mode: 'list', value: '' } },
		'Model is required',
	],
	['no messages', 'openAi', { messages: { values: [] } }, 'No messages'],
	[
		'empty content',
		'openAi',
		{ messages: { values: [{ role: 'user', content: '   ' }] } },
		'Message 1 has empty content',
	],
	[
		'history is not JSON',
		'openAi',
		{ messagesInputMode: 'json', messagesJson: '[{"role": "user"' },
		/^Messages \(JSON\) is not valid JSON/,
	],
	[
		'history is not an array',
		'openAi',
		{ messagesInputMode: 'json', messagesJson: '{"role": "user", "content": "Hi"}' },
		'Messages (JSON) must be an array of {"role", "content"} objects',
	],
	[
		'history entry without content',
		'openAi',
		{ messagesInputMode: 'json', messagesJson: '[{"role": "user"}]' },
		'Messages (JSON) entry 1 has empty content',
	],
	[
		'history entry is not an object',
		'openAi',
		{ messagesInputMode: 'json', messagesJson: '["Hi"]' },
		'Messages (JSON) entry 1 must be an object with "role" and "content"',
	],
	[
		'unknown role',
		'openAi',
		{ messagesInputMode: 'json', messagesJson: '[{"role": "wizard", "content": "Hi"}]' },
		'Messages (JSON) entry 1 has an unknown role "wizard"',
	],
	[
		'empty history',
		'openAi',
		{ messagesInputMode: 'json', messagesJson: '[]' },
		'Messages (JSON) is an empty array',
	],
	[
		'temperature too high',
		'openAi',
		{ ...user, options: { temperature: 2.5 } },
		'Temperature must be between 0 and 2 (got 2.5)',
	],
	[
		'temperature not a number',
		'openAi',
		{ ...user, options: { temperature: '={{ "hot" }}' } },
		'Temperature must be a number (got "hot")',
	],
	[
		'top P too high',
		'togetherAi',
		{ ...user, options: { topP: 1.5 } },
		'Top P must be between 0 and 1 (got 1.5)',
	],
	[
		'frequency penalty too low',
		'togetherAi',
		{ ...user, options: { frequencyPenalty: -3 } },
		'Frequency Penalty must be between -2 and 2 (got -3)',
	],
	[
		'presence penalty too high',
		'huggingFaceTgi',
		{ ...user, options: { presencePenalty: 2.1 } },
		'Presence Penalty must be between -2 and 2 (got 2.1)',
	],
	[
		'maximum tokens zero',
		'huggingFaceTgi',
		{ ...user, options: { maxTokens: 0 } },
		'Maximum Number of Tokens must be between 1 and 10000000 (got 0)',
	],
	[
		'maximum tokens fractional',
		'openAi',
		{ ...user, options: { maxTokens: 10.5 } },
		'Maximum Number of Tokens must be a whole number (got 10.5)',
	],
	[
		'invalid JSON schema',
		'openAi',
		{ ...user, options: { responseFormat: 'jsonSchema', jsonSchema: '{"type": ' } },
		/^JSON Schema is not valid JSON/,
	],
	[
		'JSON schema not an object',
		'openAi',
		{ ...user, options: { responseFormat: 'jsonSchema', jsonSchema: '[1]' } },
		/^JSON Schema must be a JSON object/,
	],
	[
		'bad schema name',
		'openAi',
		{
			...user,
			options: { responseFormat: 'jsonSchema', jsonSchema: '{}', jsonSchemaName: 'my schema!' },
		},
		/^Schema Name "my schema!" may only contain/,
	],
	[
		'invalid JSON in tools',
		'openAi',
		{ ...user, options: { tools: '[{"type": "function"' } },
		/^Tools is not valid JSON/,
	],
	[
		'tools without a function name',
		'openAi',
		{ ...user, options: { tools: '[{"type": "function", "function": {}}]' } },
		/^Tools must be a JSON array of/,
	],
	[
		'invalid JSON in extra body',
		'togetherAi',
		{ ...user, options: { extraBody: '{top_k: 40}' } },
		/^Extra Body Parameters is not valid JSON/,
	],
	[
		'extra body not an object',
		'togetherAi',
		{ ...user, options: { extraBody: '[]' } },
		/^Extra Body Parameters must be a JSON object/,
	],
	[
		'extra body overwrites model',
		'togetherAi',
		{ ...user, options: { extraBody: '{"model": "other"}' } },
		'Extra Body Parameters may not set "model"',
	],
	[
		'extra body overwrites messages',
		'togetherAi',
		{ ...user, options: { extraBody: '{"messages": []}' } },
		'Extra Body Parameters may not set "messages"',
	],
	[
		'reasoning effort the provider lacks',
		'togetherAi',
		{ ...user, options: { reasoningEffort: 'xhigh' } },
		'Reasoning Effort "xhigh" is not supported by Together AI',
	],
];

describe('bad input is refused before any request, naming the field', () => {
	it.each(cases)('%s', async (_name, provider, overrides, message) => {
		const result = await runWorkflow({
			parameters: messageParams(provider, overrides),
			credentials: credentialsFor(provider, server.url),
			items: [{ question: 'Hi' }],
		});
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toEqual(
			typeof message === 'string' ? message : expect.stringMatching(message),
		);
		expect(result.error?.context?.itemIndex).toBe(0);
		expect(server.seen).toHaveLength(0);
	});

	it('a base URL that is not http(s)', async () => {
		for (const [baseUrl, message] of [
			[
				'ftp://api.example.test',
				'The Base URL of the OpenAI credential must start with http:// or https:// (got "ftp:")',
			],
			[
				'api.openai.com',
				'The Base URL of the OpenAI credential "api.openai.com" is not a valid URL',
			],
			['', 'The Base URL of the OpenAI credential is empty'],
		]) {
			const result = await runWorkflow({
				parameters: messageParams('openAi'),
				credentials: credentialsFor('openAi', baseUrl),
			});
			expect(result.error?.message).toBe(message);
		}
		expect(server.seen).toHaveLength(0);
	});

	it('names the item that is wrong', async () => {
		const result = await runWorkflow({
			parameters: messageParams('openAi', { options: { temperature: '={{ $json.t }}' } }),
			credentials: credentialsFor('openAi', server.url),
			items: [{ t: 0.5 }, { t: 0.7 }, { t: 9 }],
		});
		expect(result.error?.message).toBe('Temperature must be between 0 and 2 (got 9)');
		expect(result.error?.context?.itemIndex).toBe(2);
	});
});
