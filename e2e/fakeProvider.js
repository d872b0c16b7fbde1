// The e2e suites' provider: the tests' one fake server (test/support/faultServer.ts, loaded
// through Node's type stripping), answering as a provider would and recording each request.
const { FaultServer } = require('../test/support/faultServer.ts');
const { FakeBatchApi } = require('../test/support/batchServer.ts');

/**
 * `key`: requests without it get OpenAI's 401. `latencyMs`: a set latency; without it,
 * questions named q0, q1, … get varying delays, so replies come back out of order.
 */
async function startFakeProvider({ key, latencyMs, callsTools = false }) {
	const server = new FaultServer({
		key,
		models: ['e2e-model-large', 'e2e-model-small'],
		ownedBy: 'e2e',
		latencyMs:
			latencyMs ??
			((question) => (/^q\d+$/.test(question) ? (Number(question.slice(1)) * 53) % 120 : 0)),
		// Streamed replies come in pieces 40 ms apart, as a provider streams.
		gapMs: 40,
		callsTools,
	});
	await server.start();
	// Scripted answers: the next chat requests get these in order, then the provider's own.
	const script = [];
	const asProvider = server.decide;
	server.decide = (request, n) => (request.method === 'POST' && script.length > 0 ? script.shift() : asProvider(request, n));
	return {
		url: server.url,
		requests: server.seen,
		/** Queues answers (FaultServer faults) for the next chat requests, in order. */
		script: (...faults) => script.push(...faults),
		/** Forgets the answers not used (a test that failed halfway must not leave them behind). */
		clearScript: () => (script.length = 0),
		stop: async () => await server.stop(),
	};
}

/**
 * OpenAI's Batch API (test/support/batchServer.ts) on a server of its own, at `<url>/v1/`:
 * files, jobs, polls, cancels and result files; chat requests (a batch item sent in real
 * time) answered as a provider. `api.script` decides how the next jobs run.
 */
async function startFakeBatchProvider({ key }) {
	const server = new FaultServer({ key, models: ['e2e-model-large'], ownedBy: 'e2e' });
	const api = new FakeBatchApi(server, 'openAi').install();
	await server.start();
	return { url: server.url, requests: server.seen, api, stop: async () => await server.stop() };
}

module.exports = { startFakeBatchProvider, startFakeProvider };
