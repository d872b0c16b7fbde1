// Cost per item (model-list prices or the Prices option), Budget per Execution, and n8n's token usage.
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../support/engine';
import type { Seen } from '../support/faultServer';
import { useFaultServer } from '../support/faultServer';
import { completion } from '../support/fixtures';
import { credentialsFor, messageParams } from '../support/params';
import type { ProviderId } from '../support/params';
import { describeWithRealResponses, recordedCase } from '../support/realResponses';

const server = useFaultServer();

// Each run its own credential: price lists are cached per credential.
let credential = 0;

const USAGE = {
	prompt_tokens: 1_000_000,
	completion_tokens: 500_000,
	total_tokens: 1_500_000,
	prompt_tokens_details: { cached_tokens: 200_000 },
};

/** Model-list requests get `list`; chat requests a reply with USAGE (and `headers`). */
function serve(list: unknown, headers: Record<string, string> = {}) {
	server.decide = (request: Seen) =>
		request.url.endsWith('/models')
			? { kind: 'reply', status: 200, body: list }
			: {
					kind: 'reply',
					status: 200,
					body: completion('ok', { model: request.body.model, usage: USAGE }),
					headers,
				};
}

async function run(
	provider: ProviderId,
	model: string,
	options: IDataObject = {},
	more: { items?: IDataObject[]; continueOnFail?: boolean; simplify?: boolean } = {},
) {
	return await runWorkflow({
		parameters: messageParams(provider, {
			model: { __rl: true, mode: 'id', value: model },
			options,
			...(more.simplify === false ? { simplify: false } : {}),
		}),
		credentials: credentialsFor(provider, server.url),
		credentialId: `cost-${++credential}`,
		items: more.items,
		continueOnFail: more.continueOnFail,
	});
}

const modelListRequests = () => server.seen.filter((r) => r.url.endsWith('/models')).length;

// Project-written lists in the providers' shapes: these tests need nothing from ../shared.
const TOGETHER_LIST = [
	{
		id: 'acme/chat-1',
		type: 'chat',
		pricing: { hourly: 0, input: 2, output: 6, cached_input: 0.5, base: 0, finetune: 0 },
	},
	{ id: 'acme/free-image', type: 'image', pricing: { input: 0, output: 0 } },
];
const ROUTER_LIST = {
	object: 'list',
	data: [
		{
			id: 'acme/chat-1',
			providers: [
				{ provider: 'cheap', status: 'live', pricing: { input: 1, output: 2 } },
				{ provider: 'unpriced', status: 'live' },
			],
		},
	],
};

describe('cost from a model list', () => {
	it('Together AI: input, cached input and output prices per million tokens', async () => {
		serve(TOGETHER_LIST);
		const { output, error } = await run('togetherAi', 'acme/chat-1');
		expect(error).toBeUndefined();
		expect(output[0].json.cost).toEqual({
			input: 1.6,
			cachedInput: 0.1,
			output: 3,
			total: 4.7,
			currency: 'USD',
			source: 'modelList',
		});
	});

	it('fetches the list once per credential, not once per item; the raw output gets a cost too', async () => {
		serve(TOGETHER_LIST);
		const items = [{ question: 'a' }, { question: 'b' }, { question: 'c' }];
		const { output } = await run('togetherAi', 'acme/chat-1', {}, { items, simplify: false });
		expect(output.map((item) => (item.json.cost as IDataObject).total)).toEqual([4.7, 4.7, 4.7]);
		expect(modelListRequests()).toBe(1);
	});

	it('the Hugging Face router: the price of the provider that answered (x-inference-provider)', async () => {
		serve(ROUTER_LIST, { 'x-inference-provider': 'cheap' });
		const { output } = await run('huggingFaceTgi', 'acme/chat-1');
		expect(output[0].json.cost).toMatchObject({
			input: 0.8,
			cachedInput: 0.2,
			output: 1,
			total: 2,
		});
	});

	it('no cost when the price is not known: a provider without prices, an unlisted model, a free-looking 0', async () => {
		serve(ROUTER_LIST, { 'x-inference-provider': 'unpriced' });
		expect((await run('huggingFaceTgi', 'acme/chat-1')).output[0].json).not.toHaveProperty('cost');
		serve(TOGETHER_LIST);
		expect((await run('togetherAi', 'acme/other')).output[0].json).not.toHaveProperty('cost');
		expect((await run('togetherAi', 'acme/free-image')).output[0].json).not.toHaveProperty('cost');
		serve({ error: { message: 'no list today' } });
		expect((await run('togetherAi', 'acme/chat-1')).output[0].json).not.toHaveProperty('cost');
	});

	it('OpenAI lists no prices: no cost, and no model-list request', async () => {
		serve({ object: 'list', data: [] });
		const { output } = await run('openAi', 'acme/chat-1');
		expect(output[0].json).not.toHaveProperty('cost');
		expect(modelListRequests()).toBe(0);
	});
});

describe('Prices per Million Tokens', () => {
	const prices = (values: IDataObject) => ({ pricesPerMillionTokens: { prices: values } });

	it('prices an OpenAI answer, cached input at the Input price unless set', async () => {
		serve({});
		const { output } = await run('openAi', 'gpt-x', prices({ input: 1, output: 4 }));
		expect(output[0].json.cost).toEqual({
			input: 0.8,
			cachedInput: 0.2,
			output: 2,
			total: 3,
			currency: 'USD',
			source: 'option',
		});
		const cached = await run('openAi', 'gpt-x', prices({ input: 1, cachedInput: 0.1, output: 4 }));
		expect((cached.output[0].json.cost as IDataObject).cachedInput).toBe(0.02);
	});

	it('overrides the model list', async () => {
		serve(TOGETHER_LIST);
		const { output } = await run('togetherAi', 'acme/chat-1', prices({ input: 1, output: 1 }));
		expect(output[0].json.cost).toMatchObject({ total: 1.5, source: 'option' });
		expect(modelListRequests()).toBe(0);
	});
});

describe('Budget per Execution (USD)', () => {
	it('fails the remaining items before any request once the spending reaches it', async () => {
		serve({});
		const items = [1, 2, 3, 4].map((n) => ({ question: `q${n}` }));
		const { output } = await run(
			'openAi',
			'gpt-x',
			{
				pricesPerMillionTokens: { prices: { input: 1, output: 4 } },
				budgetPerExecution: 6,
				maxConcurrency: 1,
			},
			{ items, continueOnFail: true },
		);
		expect(server.chats).toHaveLength(2);
		expect(output.map((item) => item.json.error ?? 'ok')).toEqual([
			'ok',
			'ok',
			'Budget per Execution (USD) of 6 USD reached (6 USD spent): item 2 was not sent',
			'Budget per Execution (USD) of 6 USD reached (6 USD spent): item 3 was not sent',
		]);
		expect(output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
	});

	it('needs prices where the API lists none: refused before any request', async () => {
		const { error } = await run('openAi', 'gpt-x', { budgetPerExecution: 1 });
		expect(error?.message).toBe('Budget per Execution (USD) needs prices: OpenAI lists none');
		expect(server.seen).toHaveLength(0);
	});
});

describe("n8n's token usage and trace attributes", () => {
	it('adds every item to the run metadata (accumulateTokenUsage) and sets GenAI attributes', async () => {
		serve(TOGETHER_LIST);
		const { run: execution } = await run(
			'togetherAi',
			'acme/chat-1',
			{},
			{
				items: [{ question: 'a' }, { question: 'b' }],
			},
		);
		const metadata = execution.data.resultData.runData['LLM Chat'][0].metadata as IDataObject;
		expect(metadata.tokenUsage).toEqual({ inputTokens: 2_000_000, outputTokens: 1_000_000 });
		expect(metadata.tracing).toMatchObject({
			'gen_ai.provider.name': 'together_ai',
			'gen_ai.request.model': 'acme/chat-1',
			'gen_ai.response.model': 'acme/chat-1',
			'gen_ai.usage.input_tokens': 2_000_000,
			'gen_ai.usage.output_tokens': 1_000_000,
			'gen_ai.response.finish_reasons': 'stop',
			'llm_chat.cost.usd': 9.4,
		});
	});
});

describeWithRealResponses('cost from the recorded model lists', () => {
	it("Together AI's recorded list: DeepSeek V4 Pro with its cached-input price", async () => {
		serve(recordedCase('together--models-list').response.body);
		const { output } = await run('togetherAi', 'deepseek-ai/DeepSeek-V4-Pro');
		expect(output[0].json.cost).toEqual({
			input: 1.392,
			cachedInput: 0.04,
			output: 1.74,
			total: 3.172,
			currency: 'USD',
			source: 'modelList',
		});
	});

	it("the router's recorded list: the answering provider's price, none for an unpriced one", async () => {
		const list = recordedCase('huggingface--models-list').response.body;
		serve(list, { 'x-inference-provider': 'together' });
		const { output } = await run('huggingFaceTgi', 'deepseek-ai/DeepSeek-V4-Pro');
		expect(output[0].json.cost).toMatchObject({
			input: 1.68,
			cachedInput: 0.42,
			output: 2.2,
			total: 4.3,
		});
		serve(list, { 'x-inference-provider': 'fireworks-ai' });
		const unpriced = await run('huggingFaceTgi', 'deepseek-ai/DeepSeek-V4-Pro');
		expect(unpriced.output[0].json).not.toHaveProperty('cost');
		// A pinned provider (`:novita`) prices the answer without the header.
		serve(list);
		const pinned = await run('huggingFaceTgi', 'deepseek-ai/DeepSeek-V4-Pro:novita');
		expect(pinned.output[0].json.cost).toMatchObject({
			input: 1.352,
			cachedInput: 0.338,
			output: 1.69,
			total: 3.38,
		});
	});
});
