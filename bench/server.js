// An OpenAI-compatible chat server with a set latency, run in its own process so
// its CPU time is not counted as the node's. Prints its port on stdout.
// Streamed replies (`stream: true`) send their first event after the latency, then the
// rest, one every `gapMs` (second argument); a plain reply arrives when a streamed one
// would have ended, so both take the same time. The time of each first byte is sent
// to the parent, which measures how long the node takes to relay it.
const http = require('node:http');
const { performance } = require('node:perf_hooks');

const latencyMs = Number(process.argv[2] ?? 0);
const gapMs = Number(process.argv[3] ?? 0);
const STREAM_EVENTS = 5;
let served = 0;
const now = () => performance.timeOrigin + performance.now();

function reply(body) {
	return {
		id: `chatcmpl-${++served}`,
		object: 'chat.completion',
		created: 1700000000,
		model: body.model,
		choices: [{ index: 0, message: { role: 'assistant', content: `reply to ${body.messages?.at(-1)?.content}` }, finish_reason: 'stop' }],
		usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
	};
}

function streamEvents(completion) {
	const { content } = completion.choices[0].message;
	const head = { id: completion.id, object: 'chat.completion.chunk', created: completion.created, model: completion.model };
	const size = Math.ceil(content.length / STREAM_EVENTS);
	const pieces = Array.from({ length: STREAM_EVENTS }, (_, i) => content.slice(i * size, (i + 1) * size));
	const event = (value) => `data: ${JSON.stringify({ ...head, ...value })}\n\n`;
	return [
		...pieces.map((piece) => event({ choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })),
		event({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: completion.usage }),
		'data: [DONE]\n\n',
	];
}

const wait = (ms) => new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));

const server = http.createServer((req, res) => {
	const chunks = [];
	req.on('data', (chunk) => chunks.push(chunk));
	req.on('end', async () => {
		const body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
		const completion = reply(body);
		await wait(latencyMs);
		if (body.stream !== true) {
			// The same timers as a stream's events, so both modes wait alike.
			if (gapMs > 0) for (let i = 0; i < STREAM_EVENTS; i++) await wait(gapMs);
			return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion));
		}
		res.writeHead(200, { 'content-type': 'text/event-stream' });
		const events = streamEvents(completion);
		res.write(events.shift());
		process.send?.({ firstByteAt: now(), question: body.messages?.at(-1)?.content });
		// A wait before each content event and the finish (STREAM_EVENTS waits, as a plain reply
		// has); [DONE] follows the finish at once.
		for (const event of events) {
			if (gapMs > 0 && !event.startsWith('data: [DONE]')) await wait(gapMs);
			res.write(event);
		}
		res.end();
	});
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('message', (message) => message === 'served' && process.send({ served }));
