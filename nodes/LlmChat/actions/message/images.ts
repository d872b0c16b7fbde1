import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import type { ImageDetail, ImageUrl } from '../../../shared/chat/contentParts';
import {
	checkImageSize,
	checkImageType,
	checkImageUrl,
	imageDataUrl,
	imageDetail,
} from '../../../shared/chat/contentParts';
import type { Fail } from '../../../shared/chat/validation';
import { isObject } from '../../../shared/json';

/** One image of a message as set in the node; `label` names it in errors ("Message 1, Image 2"). */
export type ImageSource = { label: string; detail?: ImageDetail } & (
	| { kind: 'binary'; property: string }
	| { kind: 'url'; url: string }
);

/** Turns one image of the item being processed into what the request carries. */
export type ImageReader = (source: ImageSource, fail: Fail) => Promise<ImageUrl>;

/**
 * The Images of one message, checked without reading any file: a bad address or an empty
 * property name stops the item before any binary is loaded.
 */
export function readImageSources(value: unknown, label: string, fail: Fail): ImageSource[] {
	const entries = isObject(value) && Array.isArray(value.values) ? (value.values as unknown[]) : [];
	return entries.map((entry, index): ImageSource => {
		const image = isObject(entry) ? entry : {};
		const at = `${label}, Image ${index + 1}`;
		const detail = imageDetail(image.detail);
		if (image.source === 'url')
			return { label: at, detail, kind: 'url', url: checkImageUrl(image.url, at, fail) };
		const property = typeof image.binaryProperty === 'string' ? image.binaryProperty.trim() : '';
		if (property === '')
			fail(
				`${at}: Binary Property is empty`,
				'Name the binary property of the input item that holds the image, often "data".',
			);
		return { label: at, detail, kind: 'binary', property };
	});
}

/**
 * Reads images through n8n's binary helpers, so files kept on disk or in external storage
 * (n8n's filesystem and S3 modes) work as well as in-memory ones. Only the given item's
 * binaries are read, when that item's turn comes.
 */
export function imageReader(ctx: IExecuteFunctions, itemIndex: number): ImageReader {
	return async (source, fail) => {
		const { label, detail } = source;
		if (source.kind === 'url') return { url: source.url, detail };
		const { property } = source;
		const binary = findBinary(ctx, itemIndex, property, label, fail);
		const facts = { property, mimeType: binary.mimeType, fileName: binary.fileName };
		const mimeType = checkImageType(facts, label, fail);
		// n8n records a stored file's size: a huge one is refused before it is read into memory.
		if (typeof binary.bytes === 'number') checkImageSize(binary.bytes, facts, label, fail);
		const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
		checkImageSize(data.length, facts, label, fail);
		return { url: imageDataUrl(mimeType, data), detail };
	};
}

function findBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
	label: string,
	fail: Fail,
): IBinaryData {
	try {
		return ctx.helpers.assertBinaryData(itemIndex, property);
	} catch {
		// n8n's own message does not say which properties the item does have.
		const names = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
		return fail(
			`${label}: the item has no binary property "${property}"`,
			names.length > 0
				? `Its binary properties: ${names.join(', ')}.`
				: 'It has no binary data at all: the node before must output the image as a file (for example HTTP Request with the response format File).',
		);
	}
}
