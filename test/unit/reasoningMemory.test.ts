// LLM Chat Model's memory of the reasoning of its tool-call turns, and how it goes back.
import type { Message } from '@n8n/ai-node-sdk';

import { toChatMessages } from '../../nodes/LlmChatModel/model/messages';
import { ReasoningMemory, reasoningRecall } from '../../nodes/LlmChatModel/model/reasoningMemory';
import { choice, completion } from '../support/fixtures';

const call = (id: string) => ({
	id,
	type: 'function',
	function: { name: 'get_weather', arguments: '{}' },
});

describe('ReasoningMemory', () => {
	it('drops the oldest entries beyond its count or its characters', () => {
		const memory = new ReasoningMemory(3, 10);
		for (const key of ['a', 'b', 'c', 'd']) memory.set(key, { field: 'reasoning', text: 'xx' });
		expect(memory.size).toBe(3);
		expect(memory.get('a')).toBeUndefined();
		// 6 + 8 characters: b and c go, d and e (10) stay.
		memory.set('e', { field: 'reasoning', text: 'yyyyyyyy' });
		expect([memory.get('b'), memory.get('c')]).toEqual([undefined, undefined]);
		expect(memory.get('d')?.text).toBe('xx');
		expect(memory.get('e')?.text).toBe('yyyyyyyy');
	});

	it('keeps each execution apart, and only reasoning the provider sent in a field', () => {
		const memory = new ReasoningMemory();
		const one = reasoningRecall('exec-1', memory);
		const reply = (message: Record<string, unknown>) =>
			completion('', { choices: [choice(message, 'tool_calls')] });
		one.remember(reply({ reasoning: 'Needs Paris.', tool_calls: [call('x')] }), ['x']);
		one.remember(reply({ content: '<think>Hm.</think>', tool_calls: [call('y')] }), ['y']);
		expect(one.recall('x')).toEqual({ field: 'reasoning', text: 'Needs Paris.' });
		expect(one.recall('y')).toBeUndefined();
		expect(reasoningRecall('exec-2', memory).recall('x')).toBeUndefined();
	});
});

describe('toChatMessages with remembered reasoning', () => {
	const turn = (content: Message['content']): Message[] => [
		{ role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
		{ role: 'assistant', content },
	];
	const toolCall = { type: 'tool-call', toolCallId: 'x', toolName: 'w', input: '{}' } as const;
	const recall = (id: string) =>
		id === 'x' ? { field: 'reasoning', text: 'Remembered.' } : undefined;

	it("gives a rebuilt tool-call turn its reasoning back, under the provider's field", () => {
		const [, assistant] = toChatMessages(
			turn([{ type: 'text', text: 'Calling w' }, toolCall]),
			recall,
		);
		expect(assistant).toMatchObject({ content: 'Calling w', reasoning: 'Remembered.' });
		expect(assistant).not.toHaveProperty('reasoning_content');
	});

	it('a reasoning part wins, and a turn without tool calls gets nothing', () => {
		const [, withPart] = toChatMessages(
			turn([{ type: 'reasoning', text: 'Own.' }, toolCall]),
			recall,
		);
		expect(withPart.reasoning).toBe('Own.');
		const [, plain] = toChatMessages(turn([{ type: 'text', text: 'Hi' }]), recall);
		expect(plain).toEqual({ role: 'assistant', content: 'Hi' });
	});
});
