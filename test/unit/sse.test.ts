import { StreamedCompletion } from '../../nodes/shared/chat/streamedCompletion';
import type { SseEvent } from '../../nodes/shared/transport/sse';
import { SseParser, sseData } from '../../nodes/shared/transport/sse';
import {
	describeWithRealResponses,
	recordedCaseNames,
	recordedStreamText,
} from '../support/realResponses';

const encode = (text: string) => new TextEncoder().encode(text);

/** Feeds `bytes` to a fresh parser in pieces that end at `cuts`. */
function parseInPieces(bytes: Uint8Array, cuts: number[]): SseEvent[] {
	const parser = new SseParser();
	const events: SseEvent[] = [];
	let start = 0;
	for (const cut of [...cuts, bytes.length]) {
		events.push(...parser.push(bytes.subarray(start, cut)));
		start = cut;
	}
	return [...events, ...parser.end()];
}

const every = (length: number) => Array.from({ length: length - 1 }, (_, index) => index + 1);
/** Deterministic "random" cut points, so a failure can be reproduced. */
function scattered(length: number, seed: number): number[] {
	const cuts = new Set<number>();
	let state = seed;
	for (let n = 0; n < Math.max(1, length / 7); n++) {
		state = (state * 1103515245 + 12345) % 2 ** 31;
		cuts.add(1 + (state % (length - 1)));
	}
	return [...cuts].sort((a, b) => a - b);
}

function assemble(events: SseEvent[]) {
	const completion = new StreamedCompletion();
	const relayed: string[] = [];
	let done = false;
	for (const event of events) {
		const data = sseData(event);
		if (data.kind === 'done') done = true;
		if (data.kind !== 'chunk') continue;
		const delta = completion.add(data.value as never);
		if (delta.text) relayed.push(delta.text);
	}
	return { completion: completion.result() as any, relayed, done };
}

describe('SseParser framing', () => {
	it('joins multi-line data, skips comments and keep-alives, reads event names and ids', () => {
		const text =
			': keep-alive\n\nevent: message\nid: 7\ndata: {"a":\ndata: 1}\n\n:ping\ndata:[DONE]\n\n';
		expect(parseInPieces(encode(text), [])).toEqual([
			{ event: 'message', id: '7', data: '{"a":\n1}' },
			{ data: '[DONE]', id: '7' }, // the last event id carries over, as the SSE standard says
		]);
	});

	it('accepts CRLF and CR line ends, also when CR and LF arrive in different pieces', () => {
		const text = 'data: one\r\n\r\ndata: two\r\rdata: three\n\n';
		const expected = [{ data: 'one' }, { data: 'two' }, { data: 'three' }];
		expect(parseInPieces(encode(text), [])).toEqual(expected);
		for (const cut of every(encode(text).length)) {
			expect(parseInPieces(encode(text), [cut])).toEqual(expected);
		}
	});

	it('decodes a UTF-8 character split between pieces', () => {
		const text = 'data: {"choices":[{"index":0,"delta":{"content":"héllo 👋 ça va"}}]}\n\n';
		const bytes = encode(text);
		for (const cut of every(bytes.length)) {
			const { completion } = assemble(parseInPieces(bytes, [cut]));
			expect(completion.choices[0].message.content).toBe('héllo 👋 ça va');
		}
	});

	it('dispatches a last event that has no blank line after it', () => {
		expect(parseInPieces(encode('data: last'), [])).toEqual([{ data: 'last' }]);
	});

	it('tells [DONE], error events and JSON error objects from chunks', () => {
		expect(sseData({ data: '[DONE]' })).toEqual({ kind: 'done' });
		expect(sseData({ event: 'error', data: 'overloaded' })).toEqual({
			kind: 'error',
			message: 'overloaded',
		});
		expect(
			sseData({ data: '{"error":{"message":"Model overloaded","type":"server_error"}}' }),
		).toEqual({
			kind: 'error',
			message: 'Model overloaded',
		});
		expect(
			sseData({ data: '{"error":"Input validation error","error_type":"validation"}' }),
		).toEqual({
			kind: 'error',
			message: 'Input validation error',
		});
		expect(sseData({ data: '{"choices":[]}' })).toEqual({ kind: 'chunk', value: { choices: [] } });
	});
});

/** What each recorded stream must assemble into, read from the recordings by hand. */
const EXPECTED: Record<
	string,
	{
		text: string;
		finish: string | null;
		usage?: number[];
		tool?: [string, string];
		reasoningStart?: string;
	}
> = {
	'openai--stream-text': { text: 'Hello', finish: 'stop', usage: [14, 4, 18] },
	'openai--stream-tool-call': {
		text: '',
		finish: 'tool_calls',
		usage: [155, 18, 173],
		tool: ['square_root', '{"number":132413}'],
	},
	'together--stream-text': { text: '2', finish: 'eos', usage: [48, 2, 50] },
	'together--stream-text-reasoning': {
		text: 'Hello',
		finish: 'stop',
		usage: [75, 77, 152],
		reasoningStart: 'The user says: "Say hello. Use only one word."',
	},
	'huggingface--stream-text': { text: 'Hello.', finish: 'stop', usage: [43, 3, 46] },
	'huggingface--stream-tool-call': {
		text: '[{"name": "square_root", "parameters": {}}]',
		finish: 'stop',
		usage: [284, 15, 299],
	},
	'tgi--stream-text': { text: ' The answer to the equation 1 + 1 is 2.</s>', finish: 'eos_token' },
	'tgi--stream-tool-call': {
		text: '',
		finish: null,
		tool: ['get_current_weather', '{ "location": "Brooklyn, NY", "format": "fahrenheit"}'],
	},
};

describeWithRealResponses('recorded streams of the real APIs (../shared/real-responses)', () => {
	it('has an expectation for every recorded stream', () => {
		expect(recordedCaseNames((name) => name.includes('--stream-'))).toEqual(
			Object.keys(EXPECTED).sort(),
		);
	});

	describe.each(Object.keys(EXPECTED))('%s', (name) => {
		// Read inside the tests: without ../shared the suite is skipped, not broken at collection.
		const bytesOf = () => encode(recordedStreamText(name));
		const splits: Array<[string, (length: number) => number[]]> = [
			['in one piece', () => []],
			['byte by byte', every],
			['at scattered points', (length) => scattered(length, name.length)],
		];

		it.each(splits)('assembles the same completion %s', (_how, cutsFor) => {
			const bytes = bytesOf();
			const cuts = cutsFor(bytes.length);
			const expected = EXPECTED[name];
			const { completion, relayed, done } = assemble(parseInPieces(bytes, cuts));
			const [choice] = completion.choices;
			expect(choice.message.content).toBe(expected.text);
			expect(relayed.join('')).toBe(expected.text);
			expect(choice.finish_reason).toBe(expected.finish);
			expect(done).toBe(!name.startsWith('tgi--stream-text'));
			if (expected.usage) {
				const { prompt_tokens, completion_tokens, total_tokens } = completion.usage;
				expect([prompt_tokens, completion_tokens, total_tokens]).toEqual(expected.usage);
			} else {
				expect(completion.usage).toBeUndefined();
			}
			if (expected.tool) {
				expect(choice.message.tool_calls).toHaveLength(1);
				const [call] = choice.message.tool_calls;
				expect([call.function.name, call.function.arguments]).toEqual(expected.tool);
				expect(typeof call.id).toBe('string');
			} else {
				expect(choice.message.tool_calls).toBeUndefined();
			}
			if (expected.reasoningStart) {
				expect(choice.message.reasoning).toMatch(
					/^The user says: "Say hello\. Use only one word\."/,
				);
				expect(choice.message.reasoning).toMatch(/So final answer: Hello\.$/);
			}
		});
	});
});
