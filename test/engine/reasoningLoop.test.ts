// Thinking models in tool loops, both nodes, through n8n-core's engine: DeepSeek and Kimi
// refuse a tool-call turn sent back without its reasoning, and (here) reasoning from before
// the last user message; Keep Reasoning in History decides what goes back.
import type { IDataObject } from 'n8n-workflow';

import type { StreamChunk } from '../support/engine';
import { runWorkflow } from '../support/engine';
import { useFaultServer } from '../support/faultServer';
import type { HistoryShape, Scenario } from '../support/modelEngine';
import { runModelWorkflow } from '../support/modelEngine';
import { credentialsFor, messageParams } from '../support/params';
import type { ThinkingStyle } from '../support/thinkingProvider';
import { thinkingProvider, thoughtFor } from '../support/thinkingProvider';

const server = useFaultServer();
const STYLES: ThinkingStyle[] = ['deepseek', 'kimi'];
const FINAL = /^Weather: .*Paris.* \| .*Rome/;

/** The assistant turns of a request, by index, with the reasoning each carried. */
function reasoningByTurn(body: IDataObject): Array<[number, unknown]> {
	return (body.messages as IDataObject[]).flatMap((message, index) =>
		message.role === 'assistant' ? [[index, message.reasoning_content] as [number, unknown]] : [],
	);
}

describe.each(STYLES)('LLM Chat Model with a %s thinking model', (style) => {
	const run = async (scenario: Scenario, history: HistoryShape, options: IDataObject = {}) => {
		server.decide = thinkingProvider(style);
		return await runModelWorkflow({
			parameters: {
				provider: 'openAi',
				model: { __rl: true, mode: 'id', value: 'deepseek-reasoner' },
				options,
			},
			credentials: credentialsFor('openAi', server.url),
			scenario,
			history,
			items: [{ question: 'What is the weather in Paris and in Rome?' }],
		});
	};

	it.each([
		['agent', false],
		['agent', true],
		['streamAgent', false],
		['streamAgent', true],
	] as Array<[Scenario, boolean]>)(
		'%s (turns rebuilt as n8n does: %s): two tool rounds complete, reasoning back on the loop only',
		async (scenario, rebuild) => {
			const { output, error } = await run(scenario, { earlier: true, rebuild });
			expect(error).toBeUndefined();
			const json = output[0].json as IDataObject;
			expect(json.text).toMatch(FINAL);
			expect(server.seen).toHaveLength(3);
			// Before the question (index 2): nothing; after it, each tool-call turn its own thought.
			const third = reasoningByTurn(server.seen[2].body);
			const loop = third.filter(([index]) => index > 5);
			expect(third.filter(([index]) => index < 5).map(([, r]) => r)).toEqual([
				undefined,
				undefined,
			]);
			expect(loop.map(([, reasoning]) => reasoning)).toEqual([thoughtFor(0), thoughtFor(1)]);
			if (scenario === 'streamAgent') {
				// Streamed text is the answer alone: the reasoning is remembered, not relayed.
				const rounds = json.rounds as IDataObject[];
				const chunks = rounds.flatMap((round) => (round.chunks as string[] | undefined) ?? []);
				expect(chunks.join('')).toBe(json.text);
			}
		},
	);

	it('All: the earlier reasoning goes back too, and the API refuses it', async () => {
		const { error } = await run('agent', { earlier: true }, { keepReasoningInHistory: 'all' });
		expect(error?.message).toMatch(/before the last user message/);
		expect(reasoningByTurn(server.seen[0].body).map(([, r]) => r)).toEqual([
			'Oslo needs the tool.',
			'The tool said 5.',
		]);
	});

	it('None: the tool-call turn goes back without reasoning, and the API refuses it', async () => {
		const { error } = await run(
			'streamAgent',
			{ rebuild: true },
			{ keepReasoningInHistory: 'none' },
		);
		expect(error?.message).toMatch(
			/Missing `reasoning_content` field in the assistant message at message index 2/,
		);
		// n8n's chat shows a streaming agent's failure by its description: the provider's words lead.
		expect(error?.description).toMatch(
			/^LLM Chat Model: OpenAI API error 400: Missing `reasoning_content` field .*\. OpenAI refused the request/,
		);
		// Wrapped by an agent that does not know it as its own, only the name is left: it says the same.
		expect(error?.name).toMatch(
			/^LLM Chat Model: OpenAI API error 400: Missing `reasoning_content`/,
		);
	});

	it('a saved false (the old switch off) reads as Tool Loop Only', async () => {
		const { error } = await run(
			'streamAgent',
			{ rebuild: true },
			{ keepReasoningInHistory: false },
		);
		expect(error).toBeUndefined();
		expect(server.seen).toHaveLength(3);
	});

	it('a saved true (the old switch on) reads as All', async () => {
		const { error } = await run('agent', { earlier: true }, { keepReasoningInHistory: true });
		expect(error?.message).toMatch(/before the last user message/);
	});
});

describe.each(STYLES)('LLM Chat with a %s thinking model, history in Messages (JSON)', (style) => {
	const TOOLS = JSON.stringify([
		{
			type: 'function',
			function: {
				name: 'get_weather',
				description: 'The current weather in a city',
				parameters: { type: 'object', properties: { city: { type: 'string' } } },
			},
		},
	]);
	const earlier = [
		{ role: 'user', content: 'What was the weather in Oslo?' },
		{
			role: 'assistant',
			content: null,
			reasoning_content: 'Oslo needs the tool.',
			tool_calls: [
				{
					id: 'call_earlier',
					type: 'function',
					function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
				},
			],
		},
		{ role: 'tool', tool_call_id: 'call_earlier', content: '{"city":"Oslo","temperature":5}' },
		{
			role: 'assistant',
			content: 'It was 5 degrees in Oslo.',
			reasoning_content: 'The tool said 5.',
		},
	];

	/** A workflow's loop: each answer's tool calls and reasoning go back with the tools' results. */
	async function loop(options: IDataObject, streaming: boolean) {
		server.decide = thinkingProvider(style);
		const history: IDataObject[] = [
			...earlier,
			{ role: 'user', content: 'What is the weather in Paris and in Rome?' },
		];
		const chunks: StreamChunk[] = [];
		for (let step = 0; step < 4; step++) {
			const { output, error } = await runWorkflow({
				parameters: messageParams('openAi', {
					messagesInputMode: 'json',
					messagesJson: JSON.stringify(history),
					options: { tools: TOOLS, ...options },
				}),
				credentials: credentialsFor('openAi', server.url),
				onChunk: streaming ? (chunk) => chunks.push(chunk) : undefined,
			});
			if (error) return { error, chunks };
			const json = output[0].json as IDataObject;
			const calls = json.toolCalls as IDataObject[] | undefined;
			if (!calls) return { json, chunks };
			history.push({
				role: 'assistant',
				content: json.text || null,
				reasoning_content: json.reasoning,
				tool_calls: calls.map((call) => ({
					id: call.id,
					type: 'function',
					function: { name: call.name, arguments: JSON.stringify(call.arguments) },
				})),
			});
			for (const call of calls) {
				const city = (call.arguments as IDataObject).city;
				history.push({ role: 'tool', tool_call_id: call.id, content: `21 degrees in ${city}` });
			}
		}
		throw new Error('the loop did not end');
	}

	it.each([false, true])(
		'Tool Loop Only (default), streamed %s: two tool rounds complete',
		async (streaming) => {
			const { json, error, chunks } = await loop({}, streaming);
			expect(error).toBeUndefined();
			expect(json?.text).toBe('Weather: 21 degrees in Paris | 21 degrees in Rome');
			expect(server.seen).toHaveLength(3);
			expect(reasoningByTurn(server.seen[2].body).map(([, r]) => r)).toEqual([
				undefined,
				undefined,
				thoughtFor(0),
				thoughtFor(1),
			]);
			expect(server.seen.every((request) => (request.body.stream === true) === streaming)).toBe(
				true,
			);
			if (streaming) {
				const text = chunks
					.filter((c) => c.type === 'item')
					.map((c) => c.content)
					.join('');
				expect(text).not.toContain('Thinking');
			}
		},
	);

	it('All: the earlier reasoning is sent and refused', async () => {
		const { error } = await loop({ keepReasoningInHistory: 'all' }, false);
		expect(error?.message).toMatch(/before the last user message/);
		expect(server.seen).toHaveLength(1);
	});

	it('None: the loop turn goes without reasoning and is refused', async () => {
		const { error } = await loop({ keepReasoningInHistory: 'none' }, true);
		expect(error?.message).toMatch(
			/Missing `reasoning_content` field in the assistant message at message index 5/,
		);
		expect(server.seen).toHaveLength(2);
	});

	it('an unknown value is refused before any request', async () => {
		const { error } = await loop({ keepReasoningInHistory: 'some' }, false);
		expect(error?.message).toMatch(
			/^Keep Reasoning in History must be Tool Loop Only \("toolLoop"\)/,
		);
		expect(server.seen).toHaveLength(0);
	});
});
