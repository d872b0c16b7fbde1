// An OpenAI-compatible chat server with a set latency, run in its own process so
// its CPU time is not counted as the node's. Prints its port on stdout.
const http = require('node:http');

const latencyMs = Number(process.argv[2] ?? 0);
let served = 0;

const server = http.createServer((req, res) => {
	const chunks = [];
	req.on('data', (chunk) => chunks.push(chunk));
	req.on('end', () => {
		const body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
		const reply = JSON.stringify({
			id: `chatcmpl-${++served}`,
			object: 'chat.completion',
			created: 1700000000,
			model: body.model,
			choices: [{ index: 0, message: { role: 'assistant', content: `reply to ${body.messages?.at(-1)?.content}` }, finish_reason: 'stop' }],
			usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
		});
		const send = () => res.writeHead(200, { 'content-type': 'application/json' }).end(reply);
		latencyMs > 0 ? setTimeout(send, latencyMs) : send();
	});
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('message', (message) => message === 'served' && process.send({ served }));
