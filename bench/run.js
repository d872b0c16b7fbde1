// npm run bench: throughput, CPU and memory of the LLM Chat node, run through
// n8n-core's real engine against a local server (another process) with a set latency.
const { execFileSync, fork } = require('node:child_process');
const { mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');

const ROOT = path.resolve(__dirname, '..');
const BIG_RUN_CHILD = process.argv[2] === '--big-run';
// The harness is compiled once, by the parent; the child processes of the 10,000-item runs reuse it.
if (!BIG_RUN_CHILD)
	execFileSync(
		path.join(ROOT, 'node_modules', '.bin', 'tsc'),
		['-p', path.join(__dirname, 'tsconfig.json')],
		{ stdio: 'inherit' },
	);
const { runWorkflow } = require('./.build/test/support/engine.js');

const N = 200;
const LATENCY_MS = 100;
const CONCURRENCY = [1, 5, 10, 20];
const BIG_N = 10_000;
const REPEATS = 3;

async function startServer(latencyMs) {
	const child = fork(path.join(__dirname, 'server.js'), [String(latencyMs)], {
		stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
	});
	const port = await new Promise((resolve) =>
		child.stdout.once('data', (data) => resolve(Number(String(data).trim()))),
	);
	return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

/** Runs one workflow and measures wall time, this process's CPU time and its peak RSS. */
async function measure(serverUrl, items, concurrency) {
	const parameters = {
		provider: 'openAi',
		operation: 'message',
		model: { __rl: true, mode: 'id', value: 'bench-model' },
		messages: { values: [{ role: 'user', content: '={{ $json.question }}' }] },
		options: { maxConcurrency: concurrency },
	};
	const input = Array.from({ length: items }, (_, i) => ({ question: `question ${i}` }));
	global.gc?.();
	const heapBefore = process.memoryUsage().heapUsed;
	const rssBefore = process.memoryUsage().rss;
	let peakRss = rssBefore;
	// memoryUsage.rss() is the cheap variant: the sampler must not add to the CPU being measured.
	const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
	const cpuBefore = process.cpuUsage();
	const started = process.hrtime.bigint();
	const result = await runWorkflow({
		parameters,
		credentials: { llmChatOpenAiApi: { apiKey: 'bench', baseUrl: serverUrl, apiVersion: 'v1' } },
		items: input,
	});
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	const cpu = process.cpuUsage(cpuBefore);
	clearInterval(sampler);
	peakRss = Math.max(peakRss, process.memoryUsage().rss);
	// Reserved by V8 for short-lived objects; it grows under a high allocation rate, up to a
	// limit V8 derives from the machine's memory, and makes up much of the peak RSS.
	const youngGenerationMb =
		v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 2 ** 20;
	// What stays after a full GC while the result is still held: the memory the run really keeps.
	global.gc?.();
	const retainedMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
	if (result.error) throw result.error;
	if (result.output.length !== items)
		throw new Error(`expected ${items} outputs, got ${result.output.length}`);
	result.output.forEach((item, i) => {
		if (item.pairedItem.item !== i || item.json.text !== `echo: question ${i}`)
			throw new Error(`item ${i} out of order`);
	});
	return {
		wallMs,
		cpuMsPerItem: (cpu.user + cpu.system) / 1000 / items,
		rssBeforeMb: rssBefore / 2 ** 20,
		peakRssMb: peakRss / 2 ** 20,
		youngGenerationMb,
		retainedMb,
	};
}

const round = (n, digits = 1) => Number(n.toFixed(digits));

/**
 * The floor for comparison: the same pool sending the same requests with bare
 * node:http (a new connection per request, as n8n's helper does), no n8n at all.
 */
async function bareHttpWallMs(serverUrl, items, concurrency) {
	const http = require('node:http');
	const { mapConcurrent } = require(
		path.join(ROOT, 'dist', 'nodes', 'LlmChat', 'helpers', 'pool.js'),
	);
	const { hostname, port } = new URL(serverUrl);
	const send = (i) =>
		new Promise((resolve, reject) => {
			const req = http.request(
				{
					hostname,
					port,
					method: 'POST',
					path: '/v1/chat/completions',
					agent: false,
					headers: { 'content-type': 'application/json' },
				},
				(res) => {
					res.resume();
					res.on('end', resolve);
				},
			);
			req.on('error', reject);
			req.end(
				JSON.stringify({
					model: 'bench-model',
					messages: [{ role: 'user', content: `question ${i}` }],
				}),
			);
		});
	const started = process.hrtime.bigint();
	await mapConcurrent(items, concurrency, send);
	return Number(process.hrtime.bigint() - started) / 1e6;
}

/** One process: warm-up, a first 10,000-item run, then a second one in the same process. */
async function bigRunInChild(serverUrl) {
	const child = fork(__filename, ['--big-run', serverUrl], {
		execArgv: ['--expose-gc'],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	try {
		return await new Promise((resolve, reject) => {
			child.once('message', resolve);
			child.once('exit', (code) =>
				reject(new Error(`the 10,000-item run exited with code ${code}`)),
			);
		});
	} finally {
		child.kill();
	}
}

async function bigRunChild(serverUrl) {
	await measure(serverUrl, 500, 20); // warm-up
	const first = await measure(serverUrl, BIG_N, 20);
	const second = await measure(serverUrl, BIG_N, 20);
	process.send({ first, second });
}

async function main() {
	const results = {
		date: new Date().toISOString(),
		node: process.version,
		n: N,
		latencyMs: LATENCY_MS,
		concurrency: [],
		bigRun: undefined,
	};

	const slow = await startServer(LATENCY_MS);
	try {
		await measure(slow.url, 20, 20); // warm-up: module loading, JIT
		for (const c of CONCURRENCY) {
			const idealMs = Math.ceil(N / c) * LATENCY_MS;
			// The machine is shared: each level runs REPEATS times and the median run is reported.
			const runs = [];
			await measure(slow.url, 4 * c, c); // warm-up at this level, as in a long-running n8n
			for (let r = 0; r < REPEATS; r++) runs.push(await measure(slow.url, N, c));
			runs.sort((a, b) => a.wallMs - b.wallMs);
			const m = runs[Math.floor(runs.length / 2)];
			const bareMs = await bareHttpWallMs(slow.url, N, c);
			results.concurrency.push({
				concurrency: c,
				wallMs: round(m.wallMs),
				idealMs,
				efficiency: round(idealMs / m.wallMs, 3),
				efficiencyRange: [
					round(idealMs / runs.at(-1).wallMs, 3),
					round(idealMs / runs[0].wallMs, 3),
				],
				bareHttpEfficiency: round(idealMs / bareMs, 3),
				cpuMsPerItem: round(m.cpuMsPerItem, 3),
				peakRssMb: round(m.peakRssMb),
			});
		}
	} finally {
		slow.stop();
	}

	const fast = await startServer(0);
	try {
		// Each repeat in a fresh process: RSS that V8 has grown once is not given back, so a
		// second run in the same process would start from the first run's peak.
		const runs = [];
		for (let r = 0; r < REPEATS; r++) runs.push(await bigRunInChild(fast.url));
		runs.sort((a, b) => a.first.wallMs - b.first.wallMs);
		const { first: m, second } = runs[Math.floor(runs.length / 2)];
		const range = (f, digits) =>
			[Math.min(...runs.map(f)), Math.max(...runs.map(f))].map((n) => round(n, digits));
		results.bigRun = {
			items: BIG_N,
			latencyMs: 0,
			concurrency: 20,
			wallMs: round(m.wallMs),
			itemsPerSecond: round(BIG_N / (m.wallMs / 1000), 0),
			cpuMsPerItem: round(m.cpuMsPerItem, 3),
			cpuMsPerItemRange: range((r) => r.first.cpuMsPerItem, 3),
			rssBeforeMb: round(m.rssBeforeMb),
			peakRssMb: round(m.peakRssMb),
			peakRssOverBaselineMb: round(m.peakRssMb - m.rssBeforeMb),
			peakRssOverBaselineMbRange: range((r) => r.first.peakRssMb - r.first.rssBeforeMb, 1),
			youngGenerationMb: round(m.youngGenerationMb),
			retainedHeapMb: round(m.retainedMb),
			secondRunPeakRssOverBaselineMb: round(second.peakRssMb - second.rssBeforeMb),
		};
	} finally {
		fast.stop();
	}

	console.log(
		`\nLLM Chat benchmark (Node ${process.version}, n8n-core engine in-process, server in another process)\n`,
	);
	console.log(
		`N = ${N} items, server latency ${LATENCY_MS} ms, median of ${REPEATS} runs per level`,
	);
	console.table(
		results.concurrency.map((r) => ({
			'max concurrent': r.concurrency,
			'wall ms': r.wallMs,
			'ideal ms': r.idealMs,
			efficiency: r.efficiency,
			'efficiency min-max': r.efficiencyRange.join('-'),
			'bare node:http efficiency': r.bareHttpEfficiency,
			'CPU ms/item': r.cpuMsPerItem,
			'peak RSS MB': r.peakRssMb,
		})),
	);
	const b = results.bigRun;
	console.log(
		`${b.items} items, zero latency, concurrency ${b.concurrency}, median of ${REPEATS} fresh processes (min-max in brackets)`,
	);
	console.table([
		{
			'wall ms': b.wallMs,
			'items/s': b.itemsPerSecond,
			'CPU ms/item': `${b.cpuMsPerItem} [${b.cpuMsPerItemRange.join('-')}]`,
			'RSS before MB': b.rssBeforeMb,
			'peak RSS MB': b.peakRssMb,
			'peak over baseline MB': `${b.peakRssOverBaselineMb} [${b.peakRssOverBaselineMbRange.join('-')}]`,
			'V8 young generation MB': b.youngGenerationMb,
			'retained heap MB': b.retainedHeapMb,
			'next run adds MB': b.secondRunPeakRssOverBaselineMb,
		},
	]);

	const dir = path.join(__dirname, 'results');
	mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `bench-${results.date.replace(/[:.]/g, '-')}.json`);
	writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
	console.log(`figures written to ${path.relative(ROOT, file)}`);
}

(BIG_RUN_CHILD ? bigRunChild(process.argv[3]) : main()).catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
