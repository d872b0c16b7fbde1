// The response shapes every fake server and test uses, written once.

/** One of a completion's `choices`: an assistant message (content, tool_calls, …). */
export function choice(message: Record<string, unknown>, finishReason = 'stop', index = 0) {
	return { index, message: { role: 'assistant', ...message }, finish_reason: finishReason };
}

export function completion(text: string, extra: Record<string, unknown> = {}) {
	return {
		id: 'chatcmpl-1',
		object: 'chat.completion',
		created: 1_700_000_000,
		model: 'test-model',
		choices: [choice({ content: text })],
		usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
		...extra,
	};
}

/** OpenAI's `{object: "list", data}` model list. */
export function modelList(ids: string[], ownedBy = 'test') {
	return {
		object: 'list',
		data: ids.map((id, index) => ({
			id,
			object: 'model',
			created: 1_700_000_000 + index,
			owned_by: ownedBy,
		})),
	};
}

/** OpenAI's real answer to a wrong key (the key masked as OpenAI masks it). */
export const INCORRECT_KEY = {
	error: {
		message:
			'Incorrect API key provided: wr***ey. You can find your API key at https://platform.openai.com/account/api-keys.',
		type: 'invalid_request_error',
		param: null,
		code: 'invalid_api_key',
	},
};

export const sseEvent = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;

/**
 * The same reply a plain completion carries, as OpenAI-style stream events: role,
 * reasoning and text in pieces of `pieceSize` characters, tool calls, the finish,
 * the usage in a last chunk with no choices, then [DONE].
 */
export function streamEvents(
	reply: ReturnType<typeof completion> | Record<string, any>,
	pieceSize = 3,
): string[] {
	const [choice] = reply.choices as Array<Record<string, any>>;
	const message = choice.message as Record<string, any>;
	const head = {
		id: reply.id,
		object: 'chat.completion.chunk',
		created: reply.created,
		model: reply.model,
	};
	const chunk = (delta: Record<string, unknown>, finish: unknown = null) =>
		sseEvent({ ...head, choices: [{ index: 0, delta, finish_reason: finish }] });
	const cut = (text: string) => text.match(new RegExp(`[\\s\\S]{1,${pieceSize}}`, 'g')) ?? [];
	const events = [chunk({ role: 'assistant', content: '' })];
	for (const part of cut(String(message.reasoning_content ?? '')))
		events.push(chunk({ reasoning_content: part }));
	for (const part of cut(String(message.content ?? ''))) events.push(chunk({ content: part }));
	(message.tool_calls ?? []).forEach((call: Record<string, any>, index: number) => {
		const { name, arguments: args } = call.function;
		events.push(
			chunk({
				tool_calls: [{ index, id: call.id, type: 'function', function: { name, arguments: '' } }],
			}),
		);
		for (const part of cut(String(args)))
			events.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
	});
	events.push(chunk({}, choice.finish_reason));
	events.push(sseEvent({ ...head, choices: [], usage: reply.usage }));
	events.push('data: [DONE]\n\n');
	return events;
}
