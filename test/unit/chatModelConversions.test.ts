import { getParametersJsonSchema } from '@n8n/ai-node-sdk';
import type { Message, Tool } from '@n8n/ai-node-sdk';
import { z } from 'zod';

import { toChatMessages } from '../../nodes/LlmChatModel/model/messages';
import { toGenerateResult } from '../../nodes/LlmChatModel/model/result';
import type { ToJsonSchema } from '../../nodes/LlmChatModel/model/tools';
import { toChatTools } from '../../nodes/LlmChatModel/model/tools';
import { choice, completion } from '../support/fixtures';

const PNG = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');

describe('toChatMessages: the agent conversation in OpenAI form', () => {
	it('maps each role, images, tool calls, reasoning and several tool results', () => {
		const messages: Message[] = [
			{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
			{ role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'And this?' },
					{ type: 'file', mediaType: 'image/png', data: PNG },
					{ type: 'file', data: '', providerMetadata: { url: 'https://example.com/a.jpg' } },
					{ type: 'file', mediaType: 'application/pdf', data: 'JVBER' },
				],
			},
			{
				role: 'assistant',
				content: [
					{ type: 'reasoning', text: 'Needs the tool.' },
					{
						type: 'tool-call',
						toolCallId: 'call_1',
						toolName: 'weather',
						input: '{"city":"Paris"}',
					},
					{
						type: 'tool-call',
						toolCallId: 'call_2',
						toolName: 'weather',
						input: '{"city":"Rome"}',
					},
				],
			},
			{
				role: 'tool',
				content: [
					{ type: 'tool-result', toolCallId: 'call_1', result: '21 degrees' },
					{ type: 'tool-result', toolCallId: 'call_2', result: { degrees: 25 } },
				],
			},
			{
				role: 'tool',
				content: [
					{
						type: 'tool-result',
						toolCallId: 'call_3',
						result: [
							{ type: 'text', text: 'a' },
							{ type: 'text', text: 'b' },
						],
					},
				],
			},
			{ role: 'assistant', content: [{ type: 'text', text: 'Paris 21, Rome 25.' }] },
		];
		expect(toChatMessages(messages)).toEqual([
			{ role: 'system', content: 'Be brief.' },
			{ role: 'user', content: 'Weather?' },
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'And this?' },
					{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
					{ type: 'image_url', image_url: { url: 'https://example.com/a.jpg' } },
				],
			},
			{
				role: 'assistant',
				content: null,
				reasoning_content: 'Needs the tool.',
				tool_calls: [
					{
						id: 'call_1',
						type: 'function',
						function: { name: 'weather', arguments: '{"city":"Paris"}' },
					},
					{
						id: 'call_2',
						type: 'function',
						function: { name: 'weather', arguments: '{"city":"Rome"}' },
					},
				],
			},
			{ role: 'tool', tool_call_id: 'call_1', content: '21 degrees' },
			{ role: 'tool', tool_call_id: 'call_2', content: '{"degrees":25}' },
			{ role: 'tool', tool_call_id: 'call_3', content: 'a\nb' },
			{ role: 'assistant', content: 'Paris 21, Rome 25.' },
		]);
	});
});

describe('toChatTools', () => {
	const toJsonSchema = getParametersJsonSchema as ToJsonSchema;

	it('turns JSON-schema and zod tools into OpenAI function tools', () => {
		const tools: Tool[] = [
			{
				type: 'function',
				name: 'a',
				description: 'A',
				inputSchema: { type: 'object', properties: { x: { type: 'number' } } },
				strict: true,
			},
			{ type: 'function', name: 'b', inputSchema: z.object({ city: z.string() }) },
		];
		expect(toChatTools(tools, toJsonSchema)).toEqual([
			{
				type: 'function',
				function: {
					name: 'a',
					description: 'A',
					strict: true,
					parameters: { type: 'object', properties: { x: { type: 'number' } } },
				},
			},
			{
				type: 'function',
				function: {
					name: 'b',
					parameters: expect.objectContaining({
						type: 'object',
						properties: { city: { type: 'string' } },
						required: ['city'],
					}),
				},
			},
		]);
	});

	it('refuses a tool built into another provider, by name', () => {
		expect(() => toChatTools([{ type: 'provider', name: 'web_search' }], toJsonSchema)).toThrow(
			'The tool "web_search" is built into another provider and cannot be sent to this one',
		);
	});
});

describe('toGenerateResult', () => {
	it('gives text, reasoning, finish reason and usage with cached and reasoning tokens', () => {
		const result = toGenerateResult(
			completion('', {
				choices: [choice({ content: '<think>Hmm.</think>\n\nFour.' }, 'eos')],
				usage: {
					prompt_tokens: 10,
					completion_tokens: 6,
					total_tokens: 16,
					prompt_tokens_details: { cached_tokens: 4 },
					completion_tokens_details: { reasoning_tokens: 3 },
				},
			}),
		);
		expect(result).toMatchObject({
			id: 'chatcmpl-1',
			finishReason: 'stop',
			message: {
				role: 'assistant',
				content: [
					{ type: 'text', text: 'Four.' },
					{ type: 'reasoning', text: 'Hmm.' },
				],
			},
			usage: {
				promptTokens: 10,
				completionTokens: 6,
				totalTokens: 16,
				inputTokenDetails: { cacheRead: 4 },
				outputTokenDetails: { reasoning: 3 },
			},
			providerMetadata: { model: 'test-model', finish_reason: 'stop' },
		});
	});

	it('gives tool calls with ids and JSON arguments, whatever the server sent', () => {
		const result = toGenerateResult(
			completion('', {
				// TGI 3.x says "stop" on tool calls, sends arguments as an object and no id.
				choices: [
					choice(
						{
							content: '',
							tool_calls: [
								{ type: 'function', function: { name: 'w', arguments: { city: 'Paris' } } },
							],
						},
						'stop',
					),
				],
			}),
		);
		expect(result.finishReason).toBe('tool-calls');
		expect(result.message.content).toEqual([
			{ type: 'tool-call', toolCallId: 'call_0', toolName: 'w', input: '{"city":"Paris"}' },
		]);
	});

	it.each([
		['length', 'length'],
		['content_filter', 'content-filter'],
		['something_else', 'other'],
	])('maps finish reason %s to %s', (raw, expected) => {
		expect(
			toGenerateResult(completion('x', { choices: [choice({ content: 'x' }, raw)] })).finishReason,
		).toBe(expected);
	});
});
