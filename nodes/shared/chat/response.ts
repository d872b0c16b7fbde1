import type { IDataObject } from 'n8n-workflow';

import { isObject } from '../json';
import { normalizeFinishReason, REASONING_FIELDS } from '../providers';

/** A 200 is only an answer when it holds at least one choice with a message. */
export function isChatCompletion(body: unknown): body is IDataObject {
	return (
		isObject(body) &&
		Array.isArray(body.choices) &&
		body.choices.length > 0 &&
		body.choices.every((choice) => isObject(choice) && isObject(choice.message))
	);
}

/** What the transport checks a 2xx chat body against. */
export const CHAT_COMPLETION = { what: 'a chat completion', check: isChatCompletion };

/**
 * Text content, also when it comes as an array of content parts. Content of any other
 * kind (an object, a number) is not dropped: it is kept as its JSON text.
 */
function contentText(content: unknown): string {
	if (typeof content === 'string') return content;
	if (content === undefined || content === null) return '';
	if (!Array.isArray(content)) return JSON.stringify(content);
	return content
		.map((part) =>
			typeof part === 'string'
				? part
				: isObject(part) && typeof part.text === 'string'
					? part.text
					: '',
		)
		.join('');
}

/**
 * The reasoning and the answer: from `reasoning_content` or `reasoning`, or from a
 * leading <think>…</think> block (DeepSeek-R1, Qwen3), which is taken out of the text.
 */
export function splitReasoning(message: IDataObject): { text: string; reasoning?: string } {
	const text = contentText(message.content);
	const field = REASONING_FIELDS.map((name) => message[name]).find(
		(value) => typeof value === 'string' && value !== '',
	) as string | undefined;
	const think = /^\s*<think>([\s\S]*?)<\/think>\s*/.exec(text);
	if (!think) return { text, reasoning: field };
	return { text: text.slice(think[0].length), reasoning: field ?? (think[1].trim() || undefined) };
}

function toolCallsOf(message: IDataObject): IDataObject[] | undefined {
	if (!Array.isArray(message.tool_calls) || message.tool_calls.length === 0) return undefined;
	return (message.tool_calls as IDataObject[]).map((call) => {
		const fn = (call.function ?? {}) as IDataObject;
		let args: unknown = fn.arguments;
		if (typeof args === 'string') {
			try {
				args = JSON.parse(args);
			} catch {
				// Arguments the model produced are kept as text when they are not JSON.
			}
		}
		return {
			id: call.id,
			type: call.type ?? 'function',
			name: fn.name,
			arguments: args,
		} as IDataObject;
	});
}

function simplifyChoice(choice: IDataObject): IDataObject {
	const message = choice.message as IDataObject;
	const { text, reasoning } = splitReasoning(message);
	const toolCalls = toolCallsOf(message);
	const finishReason = normalizeFinishReason(choice.finish_reason, toolCalls !== undefined);
	const result: IDataObject = { text, role: message.role ?? 'assistant', finishReason };
	if (reasoning) result.reasoning = reasoning;
	if (typeof message.refusal === 'string' && message.refusal !== '')
		result.refusal = message.refusal;
	if (toolCalls) result.toolCalls = toolCalls;
	return result;
}

/** Token counts, with the cached prompt and reasoning tokens where the API reports them. */
export function simplifyUsage(usage: IDataObject): IDataObject {
	const prompt = isObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
	const completion = isObject(usage.completion_tokens_details)
		? usage.completion_tokens_details
		: {};
	const result: IDataObject = {
		promptTokens: usage.prompt_tokens ?? null,
		completionTokens: usage.completion_tokens ?? null,
		totalTokens: usage.total_tokens ?? null,
	};
	const cached = prompt.cached_tokens ?? usage.cached_tokens;
	if (typeof cached === 'number') result.cachedTokens = cached;
	const reasoning = completion.reasoning_tokens ?? usage.reasoning_tokens;
	if (typeof reasoning === 'number') result.reasoningTokens = reasoning;
	return result;
}

/**
 * The simplified output: the first choice's fields, plus every choice when there are several.
 * A JSON reply's `json` is added by the caller, which checks it (LLM Chat: jsonReply.ts).
 */
export function simplifyCompletion(body: IDataObject): IDataObject {
	const choices = (body.choices as IDataObject[]).map(simplifyChoice);
	const output: IDataObject = {
		...choices[0],
		model: body.model ?? null,
		usage: simplifyUsage(isObject(body.usage) ? body.usage : {}),
	};
	if (choices.length > 1) output.completions = choices;
	return output;
}
