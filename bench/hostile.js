// npm run bench, hostile part: what the bounds cost and what they hold. The SSE parser's
// throughput on ordinary streams and on one line without a line break (it was quadratic),
// and LLM Chat's peak memory against a 200 MB reply and a gzip bomb (stopped at 32 MB).
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
const { SseParser } = require(path.join(ROOT, 'dist', 'nodes', 'shared', 'transport', 'sse.js'));

const MB = 2 ** 20;
const REPEATS = 3;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** MB/s of the parser fed `total` bytes of `text` in network-sized pieces. */
function parserThroughput(text, pieceBytes) {
	const bytes = Buffer.from(text);
	const runs = [];
	for (let r = 0; r < REPEATS; r++) {
		const parser = new SseParser();
		const started = performance.now();
		let events = 0;
		for (let at = 0; at < bytes.length; at += pieceBytes)
			events += parser.push(bytes.subarray(at, at + pieceBytes)).length;
		events += parser.end().length;
		runs.push({ ms: performance.now() - started, events });
	}
	const ms = median(runs.map((run) => run.ms));
	return {
		mb: bytes.length / MB,
		ms: Math.round(ms),
		mbPerSecond: Math.round(bytes.length / MB / (ms / 1000)),
		events: runs[0].events,
	};
}

async function startServer(kind) {
	const child = fork(path.join(__dirname, 'hostileServer.js'), [kind], {
		stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
	});
	const url = await new Promise((resolve) =>
		child.stdout.once('data', (data) => resolve(String(data).trim())),
	);
	return { url, stop: () => child.kill() };
}

/** One item against the server: the error, the wall time and the peak RSS over the baseline. */
async function capped(kind) {
	const server = await startServer(kind);
	try {
		global.gc?.();
		const before = process.memoryUsage().rss;
		let peak = before;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
		const started = performance.now();
		const result = await runWorkflow({
			parameters: {
				provider: 'openAi',
				operation: 'message',
				model: { __rl: true, mode: 'id', value: 'bench-model' },
				messages: { values: [{ role: 'user', content: 'Hello' }] },
				options: {},
			},
			credentials: {
				llmChatOpenAiApi: { apiKey: 'bench-key', baseUrl: server.url, apiVersion: 'v1' },
			},
		});
		const ms = performance.now() - started;
		clearInterval(sampler);
		return {
			error: result.error?.message,
			ms: Math.round(ms),
			peakRssOverBaselineMb: Math.round((Math.max(peak, process.memoryUsage().rss) - before) / MB),
		};
	} finally {
		server.stop();
	}
}

async function main() {
	const chunk = (text) =>
		`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"bench-model","choices":[{"index":0,"delta":{"content":"${text}"},"finish_reason":null}]}\n\n`;
	const ordinary = Array.from({ length: 100_000 }, (_, i) => chunk(` word${i % 100}`)).join('');
	const results = {
		date: new Date().toISOString(),
		node: process.version,
		parser: {
			ordinary: parserThroughput(ordinary, 16 * 1024),
			ordinarySmallPieces: parserThroughput(ordinary.slice(0, 2 * MB), 7),
			oneLine: parserThroughput(`data: ${'a'.repeat(64 * MB)}`, 64 * 1024),
		},
		reply200Mb: [],
		gzipBomb1Gb: [],
	};
	await capped('flood'); // warm-up
	for (let r = 0; r < REPEATS; r++) results.reply200Mb.push(await capped('flood'));
	for (let r = 0; r < REPEATS; r++) results.gzipBomb1Gb.push(await capped('bomb'));

	console.log(`\nHostile servers (Node ${process.version})\n`);
	console.table(
		Object.entries(results.parser).map(([name, p]) => ({
			input: name,
			MB: p.mb.toFixed(1),
			'ms (median)': p.ms,
			'MB/s': p.mbPerSecond,
			events: p.events,
		})),
	);
	console.table([
		...results.reply200Mb.map((r) => ({ answer: '200 MB reply', ...r })),
		...results.gzipBomb1Gb.map((r) => ({ answer: '1 GB gzip bomb', ...r })),
	]);
	const dir = path.join(__dirname, 'results');
	mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `hostile-${results.date.replace(/[:.]/g, '-')}.json`);
	writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
	console.log(`figures written to ${path.relative(ROOT, file)}`);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
