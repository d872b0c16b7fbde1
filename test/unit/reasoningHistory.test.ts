// Keep Reasoning in History: which assistant turns keep their reasoning when sent back.
import {
	readReasoningInHistory,
	withReasoningKept,
} from '../../nodes/shared/chat/reasoningHistory';

const fail = (message: string): never => {
	throw new Error(message);
};

const call = (id: string) => ({
	id,
	type: 'function',
	function: { name: 'get_weather', arguments: '{}' },
});

describe('withReasoningKept', () => {
	const history = [
		{ role: 'user', content: 'Earlier' },
		{ role: 'assistant', content: null, reasoning_content: 'old', tool_calls: [call('a')] },
		{ role: 'tool', tool_call_id: 'a', content: '1' },
		{ role: 'assistant', content: 'Done', reasoning: 'old answer' },
		{ role: 'user', content: 'Now' },
		{ role: 'assistant', content: null, reasoning_content: 'new', tool_calls: [call('b')] },
		{ role: 'tool', tool_call_id: 'b', content: '2' },
		{ role: 'assistant', content: 'Half-way', reasoning_content: 'no tools here' },
	];
	const reasoningOf = (keep: 'toolLoop' | 'all' | 'none') =>
		withReasoningKept(history, keep).map((m) => m.reasoning_content ?? m.reasoning);

	it('Tool Loop Only: only the tool-call turns after the last user message', () => {
		expect(reasoningOf('toolLoop')).toEqual([
			undefined,
			undefined,
			undefined,
			undefined,
			undefined,
			'new',
			undefined,
			undefined,
		]);
	});

	it('All and None', () => {
		expect(withReasoningKept(history, 'all')).toBe(history);
		expect(reasoningOf('none').every((reasoning) => reasoning === undefined)).toBe(true);
	});

	it('reads the earlier on/off switch: true is All, false or unset the default', () => {
		expect(readReasoningInHistory(true, fail)).toBe('all');
		expect(readReasoningInHistory(false, fail)).toBe('toolLoop');
		expect(readReasoningInHistory(undefined, fail)).toBe('toolLoop');
		expect(readReasoningInHistory('none', fail)).toBe('none');
		expect(() => readReasoningInHistory('most', fail)).toThrow(
			'Keep Reasoning in History must be Tool Loop Only ("toolLoop"), All ("all"), None ("none") (got "most")',
		);
	});
});
