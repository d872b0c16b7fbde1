// LLM Chat Model's answer as the SDK's parts: their order, and tool calls the SDK could misread.
import { toGenerateResult } from '../../nodes/LlmChatModel/model/result';
import { choice, completion } from '../support/fixtures';

const call = (id: string) => ({
	id,
	type: 'function',
	function: { name: 'get_weather', arguments: '{}' },
});

describe('toGenerateResult: the parts in the order chains read them', () => {
	it('text, then reasoning, then tool calls', () => {
		const result = toGenerateResult(
			completion('', {
				choices: [
					choice(
						{ content: 'Let me look.', reasoning_content: 'Tool.', tool_calls: [call('c')] },
						'tool_calls',
					),
				],
			}),
		);
		expect(result.message.content.map((part) => part.type)).toEqual([
			'text',
			'reasoning',
			'tool-call',
		]);
	});

	it.each([
		['{"city": "Par', /not a JSON object: .*JSON/],
		['42', /not a JSON object: got 42/],
		['["Paris"]', /not a JSON object: got \["Paris"\]/],
	])('arguments %s make an invalid tool call, not a call with {}', (args, error) => {
		const bad = { ...call('c'), function: { name: 'get_weather', arguments: args } };
		const result = toGenerateResult(
			completion('', { choices: [choice({ content: '', tool_calls: [bad] }, 'tool_calls')] }),
		);
		expect(result.message.content).toEqual([
			{
				type: 'invalid-tool-call',
				toolCallId: 'c',
				name: 'get_weather',
				args,
				error: expect.stringMatching(error),
			},
		]);
		expect(result.finishReason).toBe('tool-calls');
	});

	it('empty arguments stay a call with {} (tools without parameters)', () => {
		const none = { ...call('c'), function: { name: 'now', arguments: '' } };
		const result = toGenerateResult(
			completion('', { choices: [choice({ content: '', tool_calls: [none] }, 'tool_calls')] }),
		);
		expect(result.message.content).toEqual([
			{ type: 'tool-call', toolCallId: 'c', toolName: 'now', input: '{}' },
		]);
	});
});
