import type { FinishReason, GenerateResult, MessageContent, TokenUsage } from '@n8n/ai-node-sdk';
import type { IDataObject } from 'n8n-workflow';

import { simplifyUsage, splitReasoning } from '../../shared/chat/response';
import { isObject } from '../../shared/json';
import { normalizeFinishReason } from '../../shared/providers';

/** The normalised finish reasons LLM Chat outputs, in the SDK's spelling. */
const SDK_FINISH_REASONS: Record<string, FinishReason> = {
	stop: 'stop',
	length: 'length',
	tool_calls: 'tool-calls',
	content_filter: 'content-filter',
};

/**
 * A chat completion (plain or assembled from a stream) as the SDK's result: text,
 * reasoning and tool calls as content parts, the finish reason and the token counts.
 */
export function toGenerateResult(completion: IDataObject): GenerateResult {
	const choice = (completion.choices as IDataObject[])[0];
	const message = choice.message as IDataObject;
	const { text, reasoning } = splitReasoning(message);
	const toolCalls = toolCallParts(message);
	const content: MessageContent[] = [];
	// Text first: Guardrails and other chains read the first part and refuse anything but text.
	if (text !== '' || toolCalls.length === 0) content.push({ type: 'text', text });
	if (reasoning) content.push({ type: 'reasoning', text: reasoning });
	content.push(...toolCalls);
	const finishReason = normalizeFinishReason(choice.finish_reason, toolCalls.length > 0);
	// As LangChain's OpenAI model reports it; the provider's own word stays in the raw response.
	const providerMetadata: Record<string, unknown> = {
		model: completion.model,
		finish_reason: finishReason,
	};
	if (typeof message.refusal === 'string' && message.refusal !== '')
		providerMetadata.refusal = message.refusal;
	return {
		id: typeof completion.id === 'string' ? completion.id : undefined,
		finishReason: (finishReason && SDK_FINISH_REASONS[finishReason]) || 'other',
		usage: isObject(completion.usage) ? toTokenUsage(completion.usage) : undefined,
		message: {
			role: 'assistant',
			content,
			id: typeof completion.id === 'string' ? completion.id : undefined,
		},
		providerMetadata,
		rawResponse: completion,
	};
}

/** Token counts, with cached prompt and reasoning tokens where the provider reports them. */
export function toTokenUsage(usage: IDataObject): TokenUsage {
	const counts = simplifyUsage(usage);
	const result: TokenUsage = {
		promptTokens: Number(counts.promptTokens ?? 0),
		completionTokens: Number(counts.completionTokens ?? 0),
		totalTokens: Number(counts.totalTokens ?? 0),
	};
	if (typeof counts.cachedTokens === 'number')
		result.inputTokenDetails = { cacheRead: counts.cachedTokens };
	if (typeof counts.reasoningTokens === 'number')
		result.outputTokenDetails = { reasoning: counts.reasoningTokens };
	return result;
}

/**
 * Each tool call with an id (some TGI versions send none) and its arguments as JSON text.
 * Arguments that are not a JSON object make an invalid call: the SDK would read them as
 * `{}` and the tool would run with nothing.
 */
function toolCallParts(message: IDataObject): MessageContent[] {
	if (!Array.isArray(message.tool_calls)) return [];
	return (message.tool_calls as unknown[]).filter(isObject).map((call, index) => {
		const fn = isObject(call.function) ? call.function : {};
		const args = fn.arguments;
		const toolCallId = typeof call.id === 'string' && call.id !== '' ? call.id : `call_${index}`;
		const toolName = String(fn.name ?? '');
		const input = typeof args === 'string' ? args || '{}' : JSON.stringify(args ?? {});
		const error = argumentsError(input);
		if (error === undefined) return { type: 'tool-call', toolCallId, toolName, input };
		return {
			type: 'invalid-tool-call',
			toolCallId,
			name: toolName,
			args: input,
			error: `The arguments of the call of "${toolName}" are not a JSON object: ${error}`,
		};
	});
}

function argumentsError(input: string): string | undefined {
	try {
		return isObject(JSON.parse(input)) ? undefined : `got ${input.slice(0, 100)}`;
	} catch (error) {
		return (error as Error).message;
	}
}
