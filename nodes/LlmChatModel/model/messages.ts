import type { ContentFile, Message, MessageContent } from '@n8n/ai-node-sdk';
import type { IDataObject } from 'n8n-workflow';

import { imageDataUrl, userContentParts } from '../../shared/chat/contentParts';

/**
 * The agent's conversation in OpenAI's chat form; buildChatBody then puts each
 * message into the provider's dialect. Pure: no SDK code runs here, only its types.
 */
export function toChatMessages(messages: Message[]): IDataObject[] {
	return messages.flatMap(toChatMessage);
}

function toChatMessage(message: Message): IDataObject[] {
	switch (message.role) {
		case 'system':
			return [{ role: 'system', content: textOf(message.content) }];
		case 'user':
			return [{ role: 'user', content: userContent(message.content) }];
		case 'assistant':
			return [assistantMessage(message.content)];
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

/** Text, tool calls and (for buildChatBody to keep or drop) the reasoning of an earlier turn. */
function assistantMessage(content: MessageContent[]): IDataObject {
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
	const reasoning = content.map((part) => (part.type === 'reasoning' ? part.text : '')).join('');
	if (reasoning !== '') message.reasoning_content = reasoning;
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
