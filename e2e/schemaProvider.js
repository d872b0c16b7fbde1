// How the AI-node suite's fake provider answers: the JSON an output parser's schema asks for
// (Guardrails' verdict, a classifier's categories, extracted fields), with reasoning first.
const { choice, completion } = require('../test/support/fixtures.ts');

/** All the text of a chat request, whatever the form of each message's content. */
function requestText(body) {
	return (body?.messages ?? [])
		.map((message) => (typeof message.content === 'string' ? message.content : (message.content ?? []).map((part) => part.text ?? '').join('')))
		.join('\n');
}

/** The JSON Schema inside LangChain's format instructions (```json … ```), if any. */
function schemaIn(text) {
	const block = /```json\s*\n([\s\S]*?)\n```/.exec(text)?.[1];
	try {
		return block ? JSON.parse(block) : undefined;
	} catch {
		return undefined;
	}
}

/** An instance of a schema: the first enum value, the first boolean true and the rest false, "Paris". */
function instanceOf(schema) {
	let booleans = 0;
	const value = (s) => {
		if (s?.enum) return s.enum[0];
		if (s?.type === 'object' || s?.properties) return Object.fromEntries(Object.entries(s.properties ?? {}).map(([key, sub]) => [key, value(sub)]));
		if (s?.type === 'array') return [];
		if (s?.type === 'boolean') return booleans++ === 0;
		if (s?.type === 'number' || s?.type === 'integer') return s.minimum ?? 0;
		return 'Paris';
	};
	return value(schema);
}

/** `content` as a thinking model answers it: with its reasoning. */
function reasonedReply(content, model = 'test-model') {
	return completion(content, { model, choices: [choice({ content, reasoning_content: 'First I think, then I answer.' })] });
}

/** The answer a request's schema asks for (Guardrails' check gets a pass), else an echo. */
function schemaReply(body) {
	const text = requestText(body);
	const content = /confidenceScore/.test(text)
		? JSON.stringify({ confidenceScore: 0.1, flagged: false })
		: schemaIn(text)
			? JSON.stringify(instanceOf(schemaIn(text)))
			: `echo: ${requestText({ messages: body.messages?.slice(-1) }).slice(0, 60)}`;
	return reasonedReply(content, body.model);
}

module.exports = { reasonedReply, requestText, schemaReply };
