import type { IDataObject } from 'n8n-workflow';

import type { StreamChunk } from '../support/engine';
import { runWorkflow } from '../support/engine';
import type { Fault } from '../support/faultServer';
import { completion, questionOf, useFaultServer } from '../support/faultServer';
import { choice, sseEvent, streamEvents } from '../support/fixtures';
import { credentialsFor, messageParams, PROVIDER_IDS } from '../support/params';
import type { ProviderId } from '../support/params';
import { describeWithRealResponses, recordedStreamText } from '../support/realResponses';

const server = useFaultServer();

async function run(
	provider: ProviderId,
	fault: Fault | ((n: number) => Fault),
	options: IDataObject = {},
	streaming = true,
) {
	server.decide = (_request, n) => (typeof fault === 'function' ? fault(n) : fault);
	const chunks: StreamChunk[] = [];
	const result = await runWorkflow({
		parameters: messageParams(provider, { options }),
		credentials: credentialsFor(provider, server.url),
		onChunk: streaming ? (chunk) => chunks.push(chunk) : undefined,
	});
	const items = chunks.filter((chunk) => chunk.type === 'item').map((chunk) => chunk.content);
	return { ...result, chunks, items };
}

const replies: Record<string, IDataObject> = {
	text: completion('Paris is the capital of France, and it has been for a long time.'),
	reasoning: completion('Four.', {
		choices: [choice({ content: 'Four.', reasoning_content: 'Two plus two makes four.' })],
	}),
	'tool call': completion('', {
		choices: [
			choice(
				{
					content: '',
					tool_calls: [
						{
							id: 'call_1',
							type: 'function',
							function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' },
						},
					],
				},
				'tool_calls',
			),
		],
	}),
	JSON: completion('{"answer":"Paris","confidence":0.9}'),
	// Relayed without its <think> block, which arrives cut across pieces.
	'<think> block': completion('<think>\nTwo plus two.\n</think>\n\nFour, as two plus two makes.'),
};

describe('LLM Chat as the tool of a streaming agent', () => {
	it('streams nothing itself: its reply is for the agent, not the chat', async () => {
		server.decide = (request) => server.asProvider(request);
		const chunks: StreamChunk[] = [];
		const result = await runWorkflow({
			parameters: messageParams('openAi'),
			credentials: credentialsFor('openAi', server.url),
			onChunk: (chunk) => chunks.push(chunk),
			asTool: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.output[0].json.text).toBe('echo: Hello');
		expect(chunks).toEqual([]);
		expect(server.seen[0].body.stream).toBeUndefined();
	});
});

describe('several items streamed at once', () => {
	it("each item's chunks go out together, in input order, while the requests run concurrently", async () => {
		// The last item answers first, the first item last.
		const delays: Record<string, number> = { first: 300, second: 150, third: 0 };
		server.decide = (request) => {
			const fault = server.asProvider(request);
			return fault.kind === 'stream'
				? { ...fault, firstDelayMs: delays[questionOf(request)], delayMs: 15 }
				: fault;
		};
		const chunks: StreamChunk[] = [];
		const result = await runWorkflow({
			parameters: messageParams('openAi', { options: { maxConcurrency: 3 } }),
			credentials: credentialsFor('openAi', server.url),
			items: [{ question: 'first' }, { question: 'second' }, { question: 'third' }],
			onChunk: (chunk) => chunks.push(chunk),
		});
		expect(result.error).toBeUndefined();
		// All three requests were in flight together.
		expect(
			Math.max(...server.seen.map((r) => r.at)) - Math.min(...server.seen.map((r) => r.at)),
		).toBeLessThan(150);
		// begin, items, end of item 0, then of item 1, then of item 2: never interleaved.
		const order = chunks.map((chunk) => chunk.metadata.itemIndex);
		expect(order).toEqual([...order].sort((a, b) => a - b));
		for (const itemIndex of [0, 1, 2]) {
			const mine = chunks.filter((chunk) => chunk.metadata.itemIndex === itemIndex);
			expect(mine[0].type).toBe('begin');
			expect(mine.at(-1)!.type).toBe('end');
			const text = mine
				.filter((chunk) => chunk.type === 'item')
				.map((chunk) => chunk.content)
				.join('');
			expect(text).toBe(result.output[itemIndex].json.text);
		}
	});
});

describe.each(PROVIDER_IDS)('%s: streaming to n8n', (provider) => {
	it.each(Object.keys(replies))(
		'%s: chunks arrive, and the output item is the one a plain reply gives',
		async (kind) => {
			const options = kind === 'JSON' ? { responseFormat: 'jsonObject' } : {};
			const streamed = await run(
				provider,
				{ kind: 'stream', pieces: streamEvents(replies[kind]) },
				options,
			);
			const streamedBody = server.seen[0].body;
			server.reset();
			const plain = await run(
				provider,
				{ kind: 'reply', status: 200, body: replies[kind] },
				options,
				false,
			);

			expect(streamed.error).toBeUndefined();
			expect(streamed.output).toEqual(plain.output);
			expect(streamedBody.stream).toBe(true);
			expect(streamedBody.stream_options).toEqual(
				provider === 'togetherAi' ? undefined : { include_usage: true },
			);
			expect(server.seen[0].body.stream).toBeUndefined(); // not streaming: nothing changes

			// begin, the text deltas in order (reasoning and tool calls are not text), end.
			expect(streamed.chunks[0]).toMatchObject({
				type: 'begin',
				metadata: { itemIndex: 0, nodeName: 'LLM Chat' },
			});
			expect(streamed.chunks.at(-1)).toMatchObject({ type: 'end' });
			expect(streamed.items.join('')).toBe(streamed.output[0].json.text);
			if (kind === 'text') expect(streamed.items.length).toBeGreaterThan(5);
			const answers: Record<string, string> = {
				reasoning: 'Four.',
				'tool call': '',
				'<think> block': 'Four, as two plus two makes.',
			};
			if (kind in answers) expect(streamed.output[0].json.text).toBe(answers[kind]);
		},
	);

	it('a provider error mid-stream fails the item with its message, and n8n gets an error chunk', async () => {
		const pieces = streamEvents(replies.text).slice(0, 4);
		pieces.push(sseEvent({ error: { message: 'The model is overloaded', type: 'server_error' } }));
		const result = await run(provider, { kind: 'stream', pieces });
		expect(result.error?.message).toMatch(
			/reported an error in the middle of the streamed reply: The model is overloaded$/,
		);
		expect(result.chunks.at(-1)).toMatchObject({ type: 'error' });
		expect(server.seen).toHaveLength(1);
	});

	it('a connection cut after text was relayed is a clear error and is not retried', async () => {
		const pieces = streamEvents(replies.text).slice(0, 5);
		const result = await run(
			provider,
			{ kind: 'stream', pieces, delayMs: 20, then: 'cut' },
			{ maxRetries: 3 },
		);
		expect(result.error?.message).toMatch(
			/streamed reply broke off after part of it had been sent on/,
		);
		expect(result.error?.description).toMatch(/^Not retried/);
		expect(server.seen).toHaveLength(1);
	});

	it('a connection cut before the first byte is retried as usual', async () => {
		const result = await run(provider, (n) =>
			n === 1 ? { kind: 'reset' } : { kind: 'stream', pieces: streamEvents(replies.text) },
		);
		expect(result.error).toBeUndefined();
		expect(result.output[0].json.text).toBe((replies.text.choices as any)[0].message.content);
		expect(server.seen).toHaveLength(2);
	});
});

describe('streaming: cancel and timeout', () => {
	it('cancelling the execution closes the stream at once', async () => {
		server.sequence({
			kind: 'stream',
			pieces: streamEvents(replies.text).slice(0, 3),
			then: 'hang',
		});
		const started = Date.now();
		const chunks: StreamChunk[] = [];
		const result = await runWorkflow({
			parameters: messageParams('openAi'),
			credentials: credentialsFor('openAi', server.url),
			onChunk: (chunk) => chunks.push(chunk),
			onStart: (cancel) => setTimeout(cancel, 300),
		});
		await server.waitForNoConnections();
		expect(server.openConnections).toBe(0);
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(result.output).toHaveLength(0);
	});

	it('Timeout also cuts a stream that goes silent', async () => {
		// Two pieces, then the server stalls for good; the Timeout is 800 ms.
		server.sequence({
			kind: 'stream',
			pieces: streamEvents(completion('a long answer')).slice(0, 2),
			then: 'hang',
		});
		const started = Date.now();
		const result = await runWorkflow({
			parameters: messageParams('openAi', { options: { timeout: 800, maxRetries: 0 } }),
			credentials: credentialsFor('openAi', server.url),
			onChunk: () => {},
		});
		expect(result.error?.message).toMatch(/timeout/);
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	it('Timeout bounds the whole stream, not only its first byte', async () => {
		// One piece every 100 ms for 5 s; the Timeout is 800 ms.
		const pieces = streamEvents(completion('x'.repeat(150)), 3);
		server.sequence({ kind: 'stream', pieces, delayMs: 100 });
		const result = await runWorkflow({
			parameters: messageParams('openAi', { options: { timeout: 800, maxRetries: 2 } }),
			credentials: credentialsFor('openAi', server.url),
			onChunk: () => {},
		});
		expect(result.error?.message).toMatch(/broke off after part of it had been sent on: timeout/);
		expect(server.seen).toHaveLength(1);
	});
});

describeWithRealResponses('recorded streams through the node', () => {
	it.each([
		['openAi', 'openai--stream-text', 'Hello', 'stop', 18],
		['togetherAi', 'together--stream-text', '2', 'stop', 50],
		['huggingFaceTgi', 'huggingface--stream-text', 'Hello.', 'stop', 46],
		[
			'huggingFaceTgi',
			'tgi--stream-text',
			' The answer to the equation 1 + 1 is 2.</s>',
			'stop',
			null,
		],
	] as const)('%s %s', async (provider, name, text, finishReason, totalTokens) => {
		const pieces = recordedStreamText(name).split(/(?<=\n\n)/);
		const result = await run(provider, { kind: 'stream', pieces });
		expect(result.error).toBeUndefined();
		expect(result.output[0].json).toMatchObject({ text, finishReason, usage: { totalTokens } });
		expect(result.items.join('')).toBe(text);
	});

	it('a recorded tool-call stream gives the tool call', async () => {
		const pieces = recordedStreamText('openai--stream-tool-call').split(/(?<=\n\n)/);
		const result = await run('openAi', { kind: 'stream', pieces });
		expect(result.output[0].json.toolCalls).toEqual([
			{
				id: expect.any(String),
				type: 'function',
				name: 'square_root',
				arguments: { number: 132413 },
			},
		]);
		expect(result.items).toEqual([]);
	});
});
