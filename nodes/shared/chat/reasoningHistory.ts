/** Which assistant turns of a chat history keep their reasoning when it is sent back. */
import type { IDataObject } from 'n8n-workflow';

import { REASONING_FIELDS } from '../providers';
import { chatOptionFields } from './options.description';
import type { Fail } from './validation';

/**
 * `toolLoop`: only the assistant turns with tool calls after the last user message, which
 * DeepSeek's thinking mode and Kimi's thinking models require back (they answer 400
 * "Missing `reasoning_content` field" without it) while earlier reasoning must not be sent.
 */
export type ReasoningInHistory = 'toolLoop' | 'all' | 'none';

export const REASONING_IN_HISTORY: ReasoningInHistory[] = ['toolLoop', 'all', 'none'];

/** The option's value; `true` and `false` are what the earlier on/off switch saved. */
export function readReasoningInHistory(value: unknown, fail: Fail): ReasoningInHistory {
	if (value === true) return 'all';
	if (value === undefined || value === null || value === '' || value === false) return 'toolLoop';
	if (!REASONING_IN_HISTORY.includes(value as ReasoningInHistory)) {
		// Worded from the option's own description: its label and the names of its choices.
		const field = chatOptionFields.find((option) => option.name === 'keepReasoningInHistory');
		const choices = (field?.options ?? []).map((choice) =>
			'value' in choice ? `${choice.name} ("${String(choice.value)}")` : '',
		);
		fail(`${field?.displayName} must be ${choices.join(', ')} (got ${JSON.stringify(value)})`);
	}
	return value as ReasoningInHistory;
}

/** The history with the reasoning fields left only where the option keeps them. */
export function withReasoningKept(
	messages: IDataObject[],
	keep: ReasoningInHistory,
): IDataObject[] {
	if (keep === 'all') return messages;
	const lastUser = messages.map((message) => message.role).lastIndexOf('user');
	return messages.map((message, index) =>
		keep === 'toolLoop' && index > lastUser && isToolCallTurn(message)
			? message
			: withoutReasoning(message),
	);
}

function isToolCallTurn(message: IDataObject): boolean {
	return (
		message.role === 'assistant' &&
		Array.isArray(message.tool_calls) &&
		message.tool_calls.length > 0
	);
}

function withoutReasoning(message: IDataObject): IDataObject {
	if (!REASONING_FIELDS.some((field) => field in message)) return message;
	const copy = { ...message };
	for (const field of REASONING_FIELDS) delete copy[field];
	return copy;
}
