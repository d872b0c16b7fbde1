import type { IDataObject } from 'n8n-workflow';

import type { ImageUrl } from '../../../shared/chat/contentParts';
import { userContentParts } from '../../../shared/chat/contentParts';
import type { Fail } from '../../../shared/chat/validation';
import { parseJsonOption } from '../../../shared/chat/validation';
import { isObject } from '../../../shared/json';
import type { ReadParameter } from '../../helpers/parameters';
import type { ImageReader, ImageSource } from './images';
import { readImageSources } from './images';

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'];
const CONTENT_PARTS = ['text', 'image_url'];

/**
 * The system message and the conversation of one item, checked; refused with the field named.
 * Images are read only once every message has passed its checks.
 */
export async function readMessages(
	read: ReadParameter,
	itemIndex: number,
	fail: Fail,
	readImage: ImageReader,
): Promise<IDataObject[]> {
	const messages: IDataObject[] = [];
	const systemMessage = read('systemMessage', itemIndex, '') as string;
	if (typeof systemMessage === 'string' && systemMessage.trim() !== '')
		messages.push({ role: 'system', content: systemMessage });

	const mode = read('messagesInputMode', itemIndex, 'list') as string;
	if (mode === 'json') {
		let history = read('messagesJson', itemIndex, '') as unknown;
		if (typeof history === 'string') {
			if (history.trim() === '')
				fail(
					'Messages (JSON) is empty',
					'Give a JSON array such as [{"role": "user", "content": "Hello"}].',
				);
			history = parseJsonOption(history, 'Messages (JSON)', fail);
		}
		if (!Array.isArray(history))
			fail('Messages (JSON) must be an array of {"role", "content"} objects');
		(history as unknown[]).forEach((message, index) =>
			messages.push(checkMessage(message, `Messages (JSON) entry ${index + 1}`, fail)),
		);
		if ((history as unknown[]).length === 0)
			fail('Messages (JSON) is an empty array', 'Give at least one message.');
	} else {
		const list = (read('messages.values', itemIndex, []) as IDataObject[]) ?? [];
		if (list.length === 0) fail('No messages', 'Add at least one message under Messages.');
		// A file belongs to one input item: its errors say which.
		const imageFail: Fail = (message, description) =>
			fail(`${message} [item ${itemIndex}]`, description);
		const drafts = list.map((message, index) => {
			const label = `Message ${index + 1}`;
			const role = message.role ?? 'user';
			// Only user messages show Images; entries left from an earlier role are not sent.
			const images = role === 'user' ? readImageSources(message.images, label, imageFail) : [];
			// An expression may yield a number or boolean; the API wants text.
			const content =
				typeof message.content === 'number' || typeof message.content === 'boolean'
					? String(message.content)
					: message.content;
			return { message: checkMessage({ role, content }, label, fail, images.length > 0), images };
		});
		for (const { message, images } of drafts)
			messages.push(await withImages(message, images, readImage, imageFail));
	}
	return messages;
}

async function withImages(
	message: IDataObject,
	images: ImageSource[],
	readImage: ImageReader,
	fail: Fail,
): Promise<IDataObject> {
	if (images.length === 0) return message;
	const urls: ImageUrl[] = [];
	// One file at a time, in order: the first bad image is the one named.
	for (const image of images) urls.push(await readImage(image, fail));
	const content = message.content as string | IDataObject[] | undefined;
	return { ...message, content: userContentParts(content ?? '', urls) };
}

function checkMessage(message: unknown, label: string, fail: Fail, hasImages = false): IDataObject {
	if (!isObject(message)) return fail(`${label} must be an object with "role" and "content"`);
	const { role, content } = message;
	if (typeof role !== 'string' || !ROLES.includes(role)) {
		return fail(
			`${label} has an unknown role ${JSON.stringify(role)}`,
			`Allowed roles: ${ROLES.join(', ')}.`,
		);
	}
	const hasToolCalls =
		role === 'assistant' && Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
	const emptyContent =
		content === undefined ||
		content === null ||
		(typeof content === 'string' && content.trim() === '') ||
		(Array.isArray(content) && content.length === 0);
	// A message of images alone is allowed: a picture can be the whole question.
	if (emptyContent && !hasToolCalls && !hasImages) return fail(`${label} has empty content`);
	if (!emptyContent && typeof content !== 'string' && !Array.isArray(content)) {
		return fail(`${label} content must be text (or an array of content parts)`);
	}
	if (Array.isArray(content))
		content.forEach((part, index) => checkPart(part, `${label}, part ${index + 1}`, fail));
	if (
		role === 'tool' &&
		(typeof message.tool_call_id !== 'string' || message.tool_call_id === '')
	) {
		return fail(
			`${label} has the role "tool" but no "tool_call_id"`,
			'A tool result names the tool call it answers: {"role": "tool", "tool_call_id": "call_…", "content": "…"}.',
		);
	}
	return message;
}

/** Content parts in OpenAI's form: {"type": "text", "text"} or {"type": "image_url", "image_url": {"url"}}. */
function checkPart(part: unknown, label: string, fail: Fail): void {
	const type = isObject(part) ? part.type : undefined;
	if (typeof type !== 'string' || !CONTENT_PARTS.includes(type)) {
		fail(
			`${label} has an unknown type ${JSON.stringify(type)}`,
			`Allowed: ${CONTENT_PARTS.join(', ')}.`,
		);
	}
	const valid =
		type === 'text'
			? typeof (part as IDataObject).text === 'string'
			: isObject((part as IDataObject).image_url) &&
				typeof ((part as IDataObject).image_url as IDataObject).url === 'string';
	if (!valid) {
		fail(
			`${label} is not a valid "${type}" part`,
			type === 'text'
				? 'Give {"type": "text", "text": "…"}.'
				: 'Give {"type": "image_url", "image_url": {"url": "https://… or data:image/…"}}.',
		);
	}
}
