// npm run bench, streaming part: what LLM Chat adds when n8n streams its reply.
// Through n8n-core's engine in-process with the `sendChunk` hook n8n's webhook and
// chat responses use (n8n writes each chunk to the HTTP response in that hook), against
// bench/server.js in another process: a reply's first event (the role) after LATENCY_MS,
// then STREAM_WAITS more events GAP_MS apart, the first of them the first text; a plain
// reply takes as long as a whole stream.
const { execFileSync, fork } = require('node:child_process');
const { mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '..');
execFileSync(
	path.join(ROOT, 'node_modules', '.bin', 'tsc'),
	['-p', path.join(__dirname, 'tsconfig.json')],
	{ stdio: 'inherit' },
);
const { runWorkflow } = require('./.build/test/support/engine.js');

const N = 200;
const LATENCY_MS = 100;
const GAP_MS = 20;
/** Role, five pieces of text, finish, usage, [DONE]: seven waits (none before [DONE]). */
const STREAM_WAITS = 7;
const CONCURRENCY = 10;
const REPEATS = 3;
const now = () => performance.timeOrigin + performance.now();

async function startServer() {
	const child = fork(path.join(__dirname, 'server.js'), [String(LATENCY_MS), String(GAP_MS)], {
		stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
	});
	const port = await new Promise((resolve) =>
		child.stdout.once('data', (data) => resolve(Number(String(data).trim()))),
	);
	const firstBytes = new Map();
	child.on(
		'message',
		(message) => message.firstByteAt && firstBytes.set(message.question, message.firstByteAt),
	);
	return { url: `http://127.0.0.1:${port}`, firstBytes, stop: () => child.kill() };
}

/** One run: wall time, and for each item when its first text chunk reached n8n's hook. */
async function run(server, items, concurrency, streaming) {
	const firstChunks = new Map();
	const started = now();
	const result = await runWorkflow({
		parameters: {
			provider: 'openAi',
			operation: 'message',
			model: { __rl: true, mode: 'id', value: 'bench-model' },
			messages: { values: [{ role: 'user', content: '={{ $json.question }}' }] },
			options: { maxConcurrency: concurrency },
		},
		credentials: { llmChatOpenAiApi: { apiKey: 'bench', baseUrl: server.url, apiVersion: 'v1' } },
		items: Array.from({ length: items }, (_, i) => ({ question: `question ${i}` })),
		onChunk: streaming
			? (chunk) =>
					chunk.type === 'item' &&
					!firstChunks.has(chunk.metadata.itemIndex) &&
					firstChunks.set(chunk.metadata.itemIndex, now())
			: undefined,
	});
	const wallMs = now() - started;
	if (result.error) throw result.error;
	result.output.forEach((item, i) => {
		if (item.json.text !== `echo: question ${i}`)
			throw new Error(`item ${i}: ${JSON.stringify(item.json).slice(0, 200)}`);
	});
	// The node's overhead: from the mock's first byte to the first chunk in n8n's hook.
	const overheads = [...firstChunks].map(([i, at]) => at - server.firstBytes.get(`question ${i}`));
	return { wallMs, overheads };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values, p) =>
	[...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const round = (n, digits = 1) => Number(n.toFixed(digits));

async function main() {
	const server = await startServer();
	const results = {
		date: new Date().toISOString(),
		node: process.version,
		n: N,
		latencyMs: LATENCY_MS,
		gapMs: GAP_MS,
		concurrency: CONCURRENCY,
	};
	try {
		await run(server, 20, CONCURRENCY, true); // warm-up
		await run(server, 20, CONCURRENCY, false);
		const single = [];
		for (let r = 0; r < 20; r++) single.push(...(await run(server, 1, 1, true)).overheads);
		const streamed = [];
		const plain = [];
		const loaded = [];
		for (let r = 0; r < REPEATS; r++) {
			const s = await run(server, N, CONCURRENCY, true);
			streamed.push(s.wallMs);
			loaded.push(...s.overheads);
			plain.push((await run(server, N, CONCURRENCY, false)).wallMs);
		}
		Object.assign(results, {
			firstChunkOverheadMs: {
				oneItem: { median: round(median(single), 2), p95: round(percentile(single, 0.95), 2) },
				atConcurrency: {
					median: round(median(loaded), 2),
					p95: round(percentile(loaded, 0.95), 2),
				},
			},
			wallMs: {
				streamed: round(median(streamed)),
				plain: round(median(plain)),
				streamedRange: [round(Math.min(...streamed)), round(Math.max(...streamed))],
				plainRange: [round(Math.min(...plain)), round(Math.max(...plain))],
			},
			idealMs: Math.ceil(N / CONCURRENCY) * (LATENCY_MS + STREAM_WAITS * GAP_MS),
		});
	} finally {
		server.stop();
	}
	console.log(
		`\nLLM Chat streaming (Node ${process.version}, n8n-core engine in-process, server in another process)\n`,
	);
	console.log(
		`time from the server writing the first text to the first chunk at n8n's sendChunk hook (the node's overhead), ms`,
	);
	console.table([
		{
			case: '1 item at a time (20 runs)',
			median: results.firstChunkOverheadMs.oneItem.median,
			p95: results.firstChunkOverheadMs.oneItem.p95,
		},
		{
			case: `${N} items, ${CONCURRENCY} in flight`,
			median: results.firstChunkOverheadMs.atConcurrency.median,
			p95: results.firstChunkOverheadMs.atConcurrency.p95,
		},
	]);
	console.log(
		`${N} items, ${CONCURRENCY} in flight, each reply ${LATENCY_MS} ms to its first byte + ${STREAM_WAITS * GAP_MS} ms (median of ${REPEATS}; ideal ${results.idealMs} ms)`,
	);
	console.table([
		{
			mode: 'streamed',
			'wall ms': results.wallMs.streamed,
			'min-max': results.wallMs.streamedRange.join('-'),
		},
		{
			mode: 'not streamed',
			'wall ms': results.wallMs.plain,
			'min-max': results.wallMs.plainRange.join('-'),
		},
	]);
	const dir = path.join(__dirname, 'results');
	mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `streaming-${results.date.replace(/[:.]/g, '-')}.json`);
	writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
	console.log(`figures written to ${path.relative(ROOT, file)}`);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
