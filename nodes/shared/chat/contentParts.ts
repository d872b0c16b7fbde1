import type { IDataObject } from 'n8n-workflow';

import { MAX_IMAGE_BYTES, MB } from '../defaults';
import type { Fail } from './validation';

export const IMAGE_DETAILS = ['auto', 'low', 'high'] as const;
export type ImageDetail = (typeof IMAGE_DETAILS)[number];

/** An image as the APIs take it: an address they fetch, or a data URL that carries the image. */
export interface ImageUrl {
	url: string;
	detail?: ImageDetail;
}

/** What n8n tells about a binary property before its bytes are read. */
export interface BinaryFacts {
	property: string;
	mimeType?: string;
	fileName?: string;
}

/**
 * A user message's content with its images, as OpenAI's content parts (Together AI, the Hugging
 * Face router and TGI read the same form). Without images it stays as it was, so requests
 * without images do not change; an image may also come without any text. Content that already
 * is a list of parts (from an expression) keeps its parts, and the images follow them.
 */
export function userContentParts(
	content: string | IDataObject[],
	images: ImageUrl[],
): string | IDataObject[] {
	if (images.length === 0) return content;
	const parts: IDataObject[] = Array.isArray(content)
		? [...content]
		: content.trim() === ''
			? []
			: [{ type: 'text', text: content }];
	for (const { url, detail } of images)
		parts.push({ type: 'image_url', image_url: detail ? { url, detail } : { url } });
	return parts;
}

/** The MIME type without parameters (`image/png; name=x` happens), as a data URL wants it. */
export function baseMimeType(mimeType: string): string {
	return mimeType.split(';')[0].trim().toLowerCase();
}

export function imageDataUrl(mimeType: string, data: Buffer): string {
	return `data:${baseMimeType(mimeType)};base64,${data.toString('base64')}`;
}

/** Detail is sent only when chosen: the providers' own default applies otherwise. */
export function imageDetail(value: unknown): ImageDetail | undefined {
	return IMAGE_DETAILS.find((detail) => detail === value);
}

const DATA_IMAGE_URL = /^data:image\/[\w.+-]+[;,]/i;

/** Only what a provider can use: an http(s) address it fetches, or an image inlined as a data URL. */
export function checkImageUrl(value: unknown, label: string, fail: Fail): string {
	const url = typeof value === 'string' ? value.trim() : '';
	const hint =
		'Give an address the provider can fetch, or the image itself as data:image/png;base64,…';
	if (url === '') return fail(`${label}: Image URL is empty`, hint);
	if (DATA_IMAGE_URL.test(url)) {
		// The same limit as for a file: what the data URL decodes to.
		checkImageSize(dataUrlBytes(url), 'the data: URL', label, fail);
		return url;
	}
	let protocol = '';
	try {
		protocol = new URL(url).protocol;
	} catch {
		// Not a URL at all: refused below like any other address.
	}
	if (protocol === 'http:' || protocol === 'https:') return url;
	// A data URL may be megabytes long: show only its start.
	const shown = url.length > 60 ? `${url.slice(0, 60)}…` : url;
	return fail(
		`${label}: Image URL must start with http://, https:// or data:image/ (got "${shown}")`,
		hint,
	);
}

/** The bytes a data URL holds: base64 counts 3 bytes per 4 characters, less its padding. */
function dataUrlBytes(url: string): number {
	const comma = url.indexOf(',');
	const data = comma === -1 ? '' : url.slice(comma + 1);
	if (!/;base64,/i.test(url.slice(0, comma + 1))) return data.length;
	const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
	return Math.floor((data.length * 3) / 4) - padding;
}

function describe(binary: BinaryFacts | string): string {
	if (typeof binary === 'string') return binary;
	const file = binary.fileName ? ` ("${binary.fileName}")` : '';
	return `the binary property "${binary.property}"${file}`;
}

/** Only images: a provider answers anything else with an error that names no field. */
export function checkImageType(binary: BinaryFacts, label: string, fail: Fail): string {
	const mimeType = baseMimeType(binary.mimeType ?? '');
	if (mimeType.startsWith('image/')) return mimeType;
	return fail(
		`${label}: ${describe(binary)} is ${mimeType === '' ? 'of unknown type' : mimeType}, not an image`,
		'Only image/* files can be sent, such as PNG, JPEG, WebP or GIF.',
	);
}

export function checkImageSize(
	bytes: number,
	binary: BinaryFacts | string,
	label: string,
	fail: Fail,
): void {
	if (bytes <= MAX_IMAGE_BYTES) return;
	// Rounded up: a file just over the limit must not read as exactly the limit.
	const size = (Math.ceil((bytes / MB) * 10) / 10).toFixed(1);
	fail(
		`${label}: ${describe(binary)} is ${size} MB, more than the ${MAX_IMAGE_BYTES / MB} MB an image may have`,
		'Make the image smaller first, for example with the Edit Image node (Resize).',
	);
}
