import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isObject } from '../json';

/** A 200 is only an answer when it holds at least one choice with a message. */
export function isChatCompletion(body: unknown): body is IDataObject {
	return (
		isObject(body) &&
		Array.isArray(body.choices) &&
		body.choices.length > 0 &&
		body.choices.every((choice) => isObject(choice) && isObject(choice.message))
	);
}

function parseJsonReply(node: INode, text: string, itemIndex: number): unknown {
	// Some models wrap JSON in a Markdown fence even in JSON mode.
	const unfenced = text.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/i, '$1');
	try {
		return JSON.parse(unfenced);
	} catch (error) {
		throw new NodeOperationError(
			node,
			`The model's reply for item ${itemIndex} is not valid JSON: ${(error as Error).message}`,
			{
				itemIndex,
				description: `Reply (start): ${text.slice(0, 200)}`,
			},
		);
	}
}

function simplifyChoice(
	node: INode,
	choice: IDataObject,
	parseJson: boolean,
	itemIndex: number,
): IDataObject {
	const message = choice.message as IDataObject;
	const text = typeof message.content === 'string' ? message.content : '';
	const result: IDataObject = {
		text,
		role: message.role ?? 'assistant',
		finishReason: choice.finish_reason ?? null,
	};
	const reasoning = message.reasoning_content ?? message.reasoning;
	if (typeof reasoning === 'string' && reasoning !== '') result.reasoning = reasoning;
	if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
		result.toolCalls = (message.tool_calls as IDataObject[]).map((call) => {
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
	if (parseJson && text !== '') result.json = parseJsonReply(node, text, itemIndex) as IDataObject;
	return result;
}

/**
 * The simplified output: the first choice's fields, plus every choice when there are several.
 * `parseJson`: a JSON response format was asked for, so the reply is parsed into `json`.
 */
export function simplifyCompletion(
	node: INode,
	body: IDataObject,
	parseJson: boolean,
	itemIndex: number,
): IDataObject {
	const choices = (body.choices as IDataObject[]).map((choice) =>
		simplifyChoice(node, choice, parseJson, itemIndex),
	);
	const usage = isObject(body.usage) ? body.usage : {};
	const output: IDataObject = {
		...choices[0],
		model: body.model ?? null,
		usage: {
			promptTokens: usage.prompt_tokens ?? null,
			completionTokens: usage.completion_tokens ?? null,
			totalTokens: usage.total_tokens ?? null,
		},
	};
	if (choices.length > 1) output.completions = choices;
	return output;
}
