// LLM Chat Model's answer as the SDK's parts, in the order chains read them.
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
});
