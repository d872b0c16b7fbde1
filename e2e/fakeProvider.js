// An OpenAI-compatible server on 127.0.0.1 for the e2e suite: it records every
// request, checks the Bearer key, and answers like a provider would.
const http = require('node:http');

const INCORRECT_KEY = {
	error: {
		message: 'Incorrect API key provided: wr***ey. You can find your API key at https://platform.openai.com/account/api-keys.',
		type: 'invalid_request_error',
		param: null,
		code: 'invalid_api_key',
	},
};

/** The reply as Server-Sent Events, a few characters per event, 40 ms apart, as providers stream. */
function streamReply(res, model, content) {
	const head = { id: 'chatcmpl-stream', object: 'chat.completion.chunk', created: 1700000000, model };
	const event = (delta, finish = null, usage) =>
		`data: ${JSON.stringify({ ...head, choices: usage ? [] : [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
	const events = [event({ role: 'assistant', content: '' })];
	for (const piece of content.match(/[\s\S]{1,4}/g) ?? []) events.push(event({ content: piece }));
	events.push(event({}, 'stop'), event({}, null, { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 }), 'data: [DONE]\n\n');
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
	const next = () => {
		if (events.length === 0) return res.end();
		res.write(events.shift());
		setTimeout(next, 40);
	};
	next();
}

async function startFakeProvider({ key, latencyMs }) {
	const requests = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			const body = raw ? JSON.parse(raw) : undefined;
			requests.push({ method: req.method, url: req.url, headers: req.headers, body, at: Date.now() });
			const send = (status, payload, delayMs = 0) =>
				setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload)), delayMs);

			if (req.headers.authorization !== `Bearer ${key}`) return send(401, INCORRECT_KEY);
			if (req.method === 'GET' && req.url.endsWith('/models')) {
				return send(200, {
					object: 'list',
					data: [
						{ id: 'e2e-model-large', object: 'model', created: 1700000000, owned_by: 'e2e' },
						{ id: 'e2e-model-small', object: 'model', created: 1700000001, owned_by: 'e2e' },
					],
				});
			}
			if (req.method === 'POST' && req.url.endsWith('/chat/completions')) {
				const question = body.messages.at(-1).content;
				if (question === 'FAIL') return send(400, { error: { message: 'This request was refused by the e2e provider', type: 'invalid_request_error' } });
				const json = body.response_format !== undefined;
				const content = json ? JSON.stringify({ answer: `echo: ${question}` }) : `echo: ${question}`;
				if (body.stream === true) return streamReply(res, body.model, content);
				return send(
					200,
					{
						id: `chatcmpl-${requests.length}`,
						object: 'chat.completion',
						created: 1700000000,
						model: body.model,
						choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
						usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
					},
					// A set latency, or varying delays that make replies come back out of order under concurrency.
					latencyMs ?? (/^q\d+$/.test(question) ? (Number(question.slice(1)) * 53) % 120 : 0),
				);
			}
			return send(404, { error: { message: `no route ${req.method} ${req.url}` } });
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		requests,
		stop: () => new Promise((resolve) => {
			server.closeAllConnections();
			server.close(resolve);
		}),
	};
}

module.exports = { startFakeProvider };
