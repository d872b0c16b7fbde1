// Reads what n8n streams back from a webhook or a chat (NDJSON), as a client would.
const assert = require('node:assert/strict');

/** POSTs to an n8n webhook and reads its streamed answer line by line, noting when each line arrived. */
async function readStream(url, body) {
	return (await readStreamAndText(url, body)).lines;
}

/** The same, with the exact text the client received. */
async function readStreamAndText(url, body) {
	let response;
	// A webhook answers once its activation has registered it: 404 until then (bounded wait).
	for (const deadline = Date.now() + 15_000; ; ) {
		response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
		if (response.status !== 404 || Date.now() > deadline) break;
		await response.text();
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	if (response.status !== 200) assert.fail(`${url} answered ${response.status}: ${await response.text()}`);
	const lines = [];
	const decoder = new TextDecoder();
	let buffer = '';
	let text = '';
	for await (const bytes of response.body) {
		const decoded = decoder.decode(bytes, { stream: true });
		text += decoded;
		buffer += decoded;
		const parts = buffer.split('\n');
		buffer = parts.pop();
		for (const part of parts) if (part.trim()) lines.push({ at: Date.now(), chunk: JSON.parse(part) });
	}
	if (buffer.trim()) lines.push({ at: Date.now(), chunk: JSON.parse(buffer) });
	return { lines, text };
}

module.exports = { readStream, readStreamAndText };
