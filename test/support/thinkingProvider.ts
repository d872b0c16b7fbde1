// A thinking model in a tool loop, as DeepSeek's thinking mode and Kimi's thinking models
// answer and refuse; used by the engine tests and (through type stripping) the e2e suite.
import type { Fault, Seen } from './faultServer.ts';
import { choice, completion, streamEvents } from './fixtures.ts';

export type ThinkingStyle = 'deepseek' | 'kimi';

/** How each API names a tool call and its model (DeepSeek: call_00_…, Kimi: functions.name:n). */
const STYLES = {
	deepseek: {
		model: 'deepseek-reasoner',
		callId: (round: number) => `call_0${round}_Xk2mR8vQp4Ls7Nw1Tz9Yc3Hd`,
	},
	kimi: {
		model: 'kimi-k2-thinking',
		callId: (round: number, name: string) => `functions.${name}:${round}`,
	},
} as const;

/** DeepSeek's 400 for a tool-call turn sent back without its reasoning (Kimi's reads the same). */
export function missingReasoning(index: number) {
	return {
		error: {
			message: `Missing \`reasoning_content\` field in the assistant message at message index ${index}. For more information, please refer to https://api-docs.deepseek.com/guides/thinking_mode#tool-calls`,
			type: 'invalid_request_error',
			param: null,
			code: 'invalid_request_error',
		},
	};
}

/** Reasoning from before the last user message: refused here, so a test sees it was sent. */
export function staleReasoning(index: number) {
	return {
		error: {
			message: `The assistant message at message index ${index} is before the last user message and must not carry reasoning_content`,
			type: 'invalid_request_error',
			param: null,
			code: 'invalid_request_error',
		},
	};
}

/** The first rule a request's history breaks, as the API's 400 body. */
export function historyError(messages: Array<Record<string, any>>): object | undefined {
	const lastUser = messages.map((message) => message.role).lastIndexOf('user');
	for (const [index, message] of messages.entries()) {
		if (message.role !== 'assistant') continue;
		const reasoning = typeof message.reasoning_content === 'string' && message.reasoning_content;
		const callsTools = Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
		if (index < lastUser && reasoning) return staleReasoning(index);
		if (index > lastUser && callsTools && !reasoning) return missingReasoning(index);
	}
	return undefined;
}

/** What the model thinks before round `round` (0: the first call, then one per tool result). */
export const thoughtFor = (round: number) => `Thinking at step ${round}: which city is next?`;

/**
 * Calls the first tool offered once for each of `cities`, then answers with every result.
 * Each reply carries `reasoning_content`; the usage is reported as DeepSeek does.
 */
export function thinkingReply(
	body: Record<string, any>,
	style: ThinkingStyle = 'deepseek',
	cities = ['Paris', 'Rome'],
) {
	const messages: Array<Record<string, any>> = body.messages ?? [];
	const lastUser = messages.map((message) => message.role).lastIndexOf('user');
	const results = messages.slice(lastUser + 1).filter((message) => message.role === 'tool');
	const round = results.length;
	const usage = {
		prompt_tokens: 120 + round * 40,
		completion_tokens: 30,
		total_tokens: 150 + round * 40,
		prompt_cache_hit_tokens: 64,
		prompt_cache_miss_tokens: 56 + round * 40,
		completion_tokens_details: { reasoning_tokens: 18 },
	};
	const extra = { id: `${style}-${round}-${Date.now()}`, model: STYLES[style].model, usage };
	const tool = body.tools?.[0]?.function;
	if (!tool || round >= cities.length) {
		const answer = `Weather: ${results.map((result) => String(result.content)).join(' | ')}`;
		return completion(answer, {
			...extra,
			choices: [choice({ content: answer, reasoning_content: thoughtFor(round) })],
		});
	}
	const schema = tool.parameters ?? tool.arguments ?? {};
	const args = Object.fromEntries(
		Object.keys(schema.properties ?? {}).map((name) => [name, cities[round]]),
	);
	const call = {
		id: STYLES[style].callId(round, tool.name),
		type: 'function',
		function: { name: tool.name, arguments: JSON.stringify(args) },
	};
	return completion('', {
		...extra,
		choices: [
			choice(
				{ content: '', reasoning_content: thoughtFor(round), tool_calls: [call] },
				'tool_calls',
			),
		],
	});
}

/** The server's answer: a 400 for a history the API refuses, else the next step, streamed when asked. */
export function thinkingProvider(style: ThinkingStyle = 'deepseek', cities?: string[]) {
	return (request: Seen): Fault => {
		const body = request.body ?? {};
		const refused = historyError(body.messages ?? []);
		if (refused) return { kind: 'reply', status: 400, body: refused };
		const reply = thinkingReply(body, style, cities);
		return body.stream === true
			? { kind: 'stream', pieces: streamEvents(reply, 7) }
			: { kind: 'reply', status: 200, body: reply };
	};
}
