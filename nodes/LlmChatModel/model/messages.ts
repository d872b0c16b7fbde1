import type { ContentFile, Message, MessageContent } from '@n8n/ai-node-sdk';
import type { IDataObject } from 'n8n-workflow';

import { imageDataUrl, userContentParts } from '../../shared/chat/contentParts';
import type { TurnReasoning } from './reasoningMemory';

/** The reasoning remembered for a tool call this model made, if any. */
export type Recall = (toolCallId: string) => TurnReasoning | undefined;

/**
 * The agent's conversation in OpenAI's chat form; buildChatBody then puts each
 * message into the provider's dialect. Pure: no SDK code runs here, only its types.
 */
export function toChatMessages(
	messages: Message[],
	recall: Recall = () => undefined,
): IDataObject[] {
	return messages.flatMap((message) => toChatMessage(message, recall));
}

function toChatMessage(message: Message, recall: Recall): IDataObject[] {
	switch (message.role) {
		case 'system':
			return [{ role: 'system', content: textOf(message.content) }];
		case 'user':
			return [{ role: 'user', content: userContent(message.content) }];
		case 'assistant':
			return [assistantMessage(message.content, recall)];
		case 'tool':
			// One message per result: OpenAI pairs each with its call by `tool_call_id`.
			return message.content.flatMap((part) =>
				part.type === 'tool-result'
					? [{ role: 'tool', tool_call_id: part.toolCallId, content: resultText(part.result) }]
					: [],
			);
		default:
			return [{ role: 'user', content: textOf(message.content) }];
	}
}

function textOf(content: MessageContent[]): string {
	return content
		.map((part) => (part.type === 'text' ? part.text : ''))
		.filter((text) => text !== '')
		.join('\n');
}

/** Plain text stays a string (every server takes it); images make it a list of parts. */
function userContent(content: MessageContent[]): string | IDataObject[] {
	const images = content
		.filter((part): part is ContentFile => part.type === 'file' && isImage(part))
		.map((file) => ({ url: imageUrl(file) }));
	return userContentParts(textOf(content), images);
}

function isImage(file: ContentFile): boolean {
	return (
		(file.mediaType ?? '').startsWith('image/') || typeof file.providerMetadata?.url === 'string'
	);
}

function imageUrl(file: ContentFile): string {
	if (typeof file.providerMetadata?.url === 'string') return file.providerMetadata.url;
	if (typeof file.data === 'string' && /^(data:|https?:\/\/)/.test(file.data)) return file.data;
	const data =
		typeof file.data === 'string' ? Buffer.from(file.data, 'base64') : Buffer.from(file.data);
	return imageDataUrl(file.mediaType ?? 'image/png', data);
}

/**
 * Text, tool calls and (for buildChatBody to keep or drop) the reasoning of an earlier turn:
 * its reasoning part, or else what was remembered for its tool calls, since n8n's agent
 * rebuilds a tool-call turn without it.
 */
function assistantMessage(content: MessageContent[], recall: Recall): IDataObject {
	const message: IDataObject = { role: 'assistant', content: textOf(content) };
	const calls = content.flatMap((part, index) =>
		part.type === 'tool-call'
			? [
					{
						id: part.toolCallId ?? `call_${index}`,
						type: 'function',
						function: { name: part.toolName, arguments: part.input },
					},
				]
			: [],
	);
	if (calls.length > 0) {
		message.tool_calls = calls;
		// OpenAI wants null, not "", beside tool calls.
		if (message.content === '') message.content = null;
	}
	const remembered = calls.map((call) => recall(call.id)).find((entry) => entry !== undefined);
	const reasoning = content.map((part) => (part.type === 'reasoning' ? part.text : '')).join('');
	if (reasoning !== '') message[remembered?.field ?? 'reasoning_content'] = reasoning;
	else if (remembered) message[remembered.field] = remembered.text;
	return message;
}

/** A tool's result as the text the model reads. */
function resultText(result: unknown): string {
	if (typeof result === 'string') return result;
	if (Array.isArray(result) && result.every(isTextPart))
		return result.map((part) => part.text).join('\n');
	return JSON.stringify(result ?? null);
}

function isTextPart(part: unknown): part is { type: 'text'; text: string } {
	return (
		typeof part === 'object' &&
		part !== null &&
		(part as IDataObject).type === 'text' &&
		typeof (part as IDataObject).text === 'string'
	);
}
