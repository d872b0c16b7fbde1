import { completion, FaultServer } from '../support/faultServer';
import { runWorkflow } from '../support/engine';
import { credentialsFor, messageParams } from '../support/params';

const server = new FaultServer();
beforeAll(async () => await server.start());
afterAll(async () => await server.stop());
beforeEach(() => server.reset());

/** Answers after a delay that varies by item, so replies come back out of order. */
function trackingServer() {
	let inFlight = 0;
	let peak = 0;
	server.decide = (request) => {
		const content = (request.body as { messages: Array<{ content: string }> }).messages[0].content;
		inFlight++;
		peak = Math.max(peak, inFlight);
		const delayMs = 5 + ((Number(content) * 37) % 40);
		setTimeout(() => inFlight--, delayMs);
		return { kind: 'reply', status: 200, body: completion(`reply ${content}`), delayMs };
	};
	return { peak: () => peak };
}

describe('many items in flight, order kept', () => {
	it.each([1, 4, 10])(
		'Max Concurrent Requests %i: never more in flight, output in input order and paired',
		async (concurrency) => {
			const tracker = trackingServer();
			const items = Array.from({ length: 40 }, (_, index) => ({ question: String(index) }));
			const result = await runWorkflow({
				parameters: messageParams('openAi', { options: { maxConcurrency: concurrency } }),
				credentials: credentialsFor('openAi', server.url),
				items,
			});
			expect(result.error).toBeUndefined();
			expect(result.output.map((item) => item.json.text)).toEqual(
				items.map((_, i) => `reply ${i}`),
			);
			expect(result.output.map((item) => item.pairedItem)).toEqual(
				items.map((_, item) => ({ item })),
			);
			expect(tracker.peak()).toBe(concurrency);
		},
	);

	it('defaults to 5 at a time', async () => {
		const tracker = trackingServer();
		const items = Array.from({ length: 20 }, (_, index) => ({ question: String(index) }));
		await runWorkflow({
			parameters: messageParams('openAi'),
			credentials: credentialsFor('openAi', server.url),
			items,
		});
		expect(tracker.peak()).toBe(5);
	});

	it('without Continue On Fail, the first failure stops the run and starts nothing new', async () => {
		server.decide = (request) => {
			const content = (request.body as { messages: Array<{ content: string }> }).messages[0]
				.content;
			return content === '3'
				? { kind: 'reply', status: 400, body: { error: { message: 'no' } } }
				: { kind: 'reply', status: 200, body: completion('ok'), delayMs: 20 };
		};
		const items = Array.from({ length: 50 }, (_, index) => ({ question: String(index) }));
		const result = await runWorkflow({
			parameters: messageParams('openAi', { options: { maxConcurrency: 4 } }),
			credentials: credentialsFor('openAi', server.url),
			items,
		});
		expect(result.error?.message).toBe('OpenAI API error 400: no');
		expect(result.error?.context?.itemIndex).toBe(3);
		expect(server.seen.length).toBeLessThan(10);
	});
});

describe('Requests per Minute', () => {
	it('starts no more than the limit within the window', async () => {
		// Five items, a limit of 2 per minute: within the first second exactly 2 requests may start.
		const result = await runWorkflow({
			parameters: messageParams('openAi', { options: { requestsPerMinute: 2, maxConcurrency: 5 } }),
			credentials: credentialsFor('openAi', server.url),
			items: Array.from({ length: 5 }, (_, index) => ({ question: String(index) })),
			onStart: (cancel) => setTimeout(cancel, 1000),
		});
		expect(server.seen).toHaveLength(2);
		expect(result.output.length).toBeLessThan(5);
	});

	it('counts retries against the limit', async () => {
		server.decide = () => ({ kind: 'reply', status: 503, headers: { 'retry-after-ms': '10' }, body: {} });
		await runWorkflow({
			parameters: messageParams('openAi', { options: { requestsPerMinute: 2, maxRetries: 5 } }),
			credentials: credentialsFor('openAi', server.url),
			onStart: (cancel) => setTimeout(cancel, 1000),
		});
		expect(server.seen).toHaveLength(2);
	});
});
