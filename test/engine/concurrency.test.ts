import { completion, questionOf, useFaultServer } from '../support/faultServer';
import { runWorkflow } from '../support/engine';
import { credentialsFor, messageParams } from '../support/params';

const server = useFaultServer();

/** Answers after a delay that varies by item, so replies come back out of order. */
function trackingServer() {
	let inFlight = 0;
	let peak = 0;
	server.decide = (request) => {
		const content = questionOf(request);
		inFlight++;
		peak = Math.max(peak, inFlight);
		// Long enough for every lane to be busy at once even on a loaded machine.
		const delayMs = 60 + ((Number(content) * 37) % 60);
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
		server.decide = (request) =>
			questionOf(request) === '3'
				? { kind: 'reply', status: 400, body: { error: { message: 'no' } } }
				: { kind: 'reply', status: 200, body: completion('ok'), delayMs: 20 };
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
	// The window belongs to the credential, for the whole process: each test uses its own credential id.
	const limited = (credentialId: string, options: Record<string, unknown>, items = 1) => ({
		parameters: messageParams('openAi', { options }),
		credentials: credentialsFor('openAi', server.url),
		credentialId,
		items: Array.from({ length: items }, (_, index) => ({ question: String(index) })),
	});

	it('starts no more than the limit within the window', async () => {
		// Five items, a limit of 2 per minute: within the first second exactly 2 requests may start.
		const result = await runWorkflow({
			...limited('rpm-window', { requestsPerMinute: 2, maxConcurrency: 5 }, 5),
			onStart: (cancel) => setTimeout(cancel, 1000),
		});
		expect(server.seen).toHaveLength(2);
		expect(result.output.length).toBeLessThan(5);
	});

	it('counts retries against the limit', async () => {
		server.reply(503, {}, { 'retry-after-ms': '10' });
		await runWorkflow({
			...limited('rpm-retries', { requestsPerMinute: 2, maxRetries: 5 }),
			onStart: (cancel) => setTimeout(cancel, 1000),
		});
		expect(server.seen).toHaveLength(2);
	});

	it('is one window per credential: two concurrent executions share it, a third credential is not slowed', async () => {
		// Two executions of 4 items each on one credential with a limit of 3: only 3 start between them.
		const cancels: Array<() => void> = [];
		const shared = [1, 2].map(
			async () =>
				await runWorkflow({
					...limited('rpm-shared', { requestsPerMinute: 3, maxConcurrency: 4 }, 4),
					onStart: (cancel) => cancels.push(cancel),
				}),
		);
		await new Promise((resolve) => setTimeout(resolve, 700));
		const sharedStarts = server.seen.length;

		// Meanwhile another credential with the same limit runs all of its 3 items at once.
		const started = Date.now();
		const other = await runWorkflow(limited('rpm-other', { requestsPerMinute: 3 }, 3));
		const otherMs = Date.now() - started;

		const cancelledAt = Date.now();
		cancels.forEach((cancel) => cancel());
		const runs = await Promise.all(shared);
		const cancelMs = Date.now() - cancelledAt;

		expect(sharedStarts).toBe(3);
		expect(other.error).toBeUndefined();
		expect(other.output.map((item) => item.json.text)).toEqual(['echo: 0', 'echo: 1', 'echo: 2']);
		expect(otherMs).toBeLessThan(20_000); // not held for the shared credential's minute
		// Cancelling ends the waits for the window at once, not after the minute.
		expect(cancelMs).toBeLessThan(20_000);
		expect(runs.reduce((sum, run) => sum + run.output.length, 0)).toBeLessThan(8);
	});
});
