import { runWorkflow } from '../support/engine';
import { credentialTypeOf } from '../support/params';
import type { ContractMock } from '../support/prism';
import { missingSpecs, specsNotice, startContractMock } from '../support/prism';
import { describeWithData } from '../support/shared';

/**
 * The Batch API calls (upload, create, poll, result files, cancel) judged by a validating mock
 * (Prism) of OpenAI's and Together AI's official descriptions: a 400 or 422 fails with its reasons.
 */
const PROVIDERS = ['openAi', 'togetherAi'] as const;

function explain(mock: ContractMock): string {
	return mock.exchanges
		.filter((e) => e.status >= 400)
		.map((e) => `${e.method} ${e.url} -> ${e.status}: ${e.violations}`)
		.join('\n');
}

function batchSuite() {
	const mocks = {} as Record<(typeof PROVIDERS)[number], ContractMock>;

	beforeAll(async () => {
		for (const mock of await Promise.all(PROVIDERS.map(startContractMock)))
			mocks[mock.provider as (typeof PROVIDERS)[number]] = mock;
	}, 180_000);

	afterAll(async () => {
		await Promise.all(Object.values(mocks).map(async (mock) => await mock.stop()));
	});

	describe.each(PROVIDERS)('%s', (provider) => {
		const credentials = () => ({
			[credentialTypeOf(provider)]: {
				apiKey: 'contract-test-key',
				baseUrl: mocks[provider].baseUrl,
				apiVersion: mocks[provider].apiVersion,
			},
		});
		const message = {
			provider,
			operation: 'message',
			model: { __rl: true, mode: 'id', value: 'meta-llama/Llama-3.3-70B-Instruct-Turbo' },
			messages: { values: [{ role: 'user', content: '={{ $json.question }}' }] },
			options: { maxRetries: 0 },
		};
		const items = [{ question: 'What is the capital of France?' }, { question: 'And of Italy?' }];

		it('Submit Only: the JSONL upload (multipart) and the job creation', async () => {
			const mock = mocks[provider];
			mock.exchanges.length = 0;
			const result = await runWorkflow({
				parameters: { ...message, mode: 'batchSubmit' },
				credentials: credentials(),
				items,
			});
			const rejected = explain(mock);
			if (rejected) throw new Error(`The mock rejected a request:\n${rejected}`);
			expect(mock.exchanges.map((e) => `${e.method} ${e.url}`)).toEqual([
				`POST /files${provider === 'togetherAi' ? '/upload' : ''}`,
				'POST /batches',
			]);
			expect(result.error).toBeUndefined();
			expect(typeof result.output[0].json.batchId).toBe('string');
		});

		it('Get Batch Results: the poll; a job still running gives one status item', async () => {
			const mock = mocks[provider];
			mock.exchanges.length = 0;
			const result = await runWorkflow({
				parameters: { provider, operation: 'batchResults', batchId: 'batch_abc123', options: {} },
				credentials: credentials(),
				items: [{}],
				continueOnFail: true,
			});
			const rejected = explain(mock);
			if (rejected) throw new Error(`The mock rejected a request:\n${rejected}`);
			expect(mock.exchanges.map((e) => `${e.method} ${e.url}`)).toEqual([
				'GET /batches/batch_abc123',
			]);
			expect(result.output.map((item) => item.json.status)).toEqual(['validating']);
		});

		it('Submit and Wait past Max Wait, cancel and send in real time: the cancel call', async () => {
			const mock = mocks[provider];
			mock.exchanges.length = 0;
			await runWorkflow({
				parameters: {
					...message,
					mode: 'batchWait',
					batchOptions: { pollInterval: 0.01, maxWait: 0.0001, onTimeout: 'realTime' },
				},
				credentials: credentials(),
				items,
				continueOnFail: true,
			});
			const rejected = explain(mock);
			if (rejected) throw new Error(`The mock rejected a request:\n${rejected}`);
			const calls = mock.exchanges.map(
				(e) => `${e.method} ${e.url.replace(/\/batches\/[^/]+/, '/batches/{id}')}`,
			);
			// The mock's example job never ends: the node cancels it, polls, reads the files it
			// names, and sends the items without a result in real time.
			expect(calls.slice(0, 4)).toEqual([
				`POST /files${provider === 'togetherAi' ? '/upload' : ''}`,
				'POST /batches',
				'GET /batches/{id}',
				'POST /batches/{id}/cancel',
			]);
			expect(calls.filter((c) => /^GET \/files\/[^/]+\/content$/.test(c)).length).toBeGreaterThan(
				0,
			);
			expect(calls.filter((c) => c === 'POST /chat/completions')).toHaveLength(2);
		});
	});
}

describeWithData(
	'contract: Batch API calls validated against the official OpenAPI descriptions',
	missingSpecs().length === 0,
	specsNotice('batch contract tests'),
	() => batchSuite(),
);
