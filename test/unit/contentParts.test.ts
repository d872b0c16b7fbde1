import {
	baseMimeType,
	checkImageSize,
	checkImageType,
	checkImageUrl,
	imageDataUrl,
	imageDetail,
	userContentParts,
} from '../../nodes/shared/chat/contentParts';
import { MAX_IMAGE_BYTES } from '../../nodes/shared/defaults';
import type { Fail } from '../../nodes/shared/chat/validation';

/** A Fail that throws the message and description as plain data, to compare them. */
const fail: Fail = (message, description) => {
	throw Object.assign(new Error(message), { description });
};
const refusal = (check: () => unknown) => {
	try {
		check();
	} catch (error) {
		return (error as Error).message;
	}
	return 'accepted';
};

describe('userContentParts: text first, then each image as an image_url part', () => {
	const cat = { url: 'https://images.example.test/cat.jpg' };

	it('leaves content without images exactly as it was', () => {
		expect(userContentParts('Hello', [])).toBe('Hello');
		expect(userContentParts('', [])).toBe('');
		const parts = [{ type: 'text', text: 'Hi' }];
		expect(userContentParts(parts, [])).toBe(parts);
	});

	it('puts the text part before the images and sends detail only when chosen', () => {
		expect(
			userContentParts('What is this?', [
				cat,
				{ url: 'data:image/png;base64,AAAA', detail: 'low' },
			]),
		).toEqual([
			{ type: 'text', text: 'What is this?' },
			{ type: 'image_url', image_url: { url: cat.url } },
			{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
		]);
	});

	it('sends no empty text part when the message is images alone', () => {
		expect(userContentParts('  ', [cat])).toEqual([{ type: 'image_url', image_url: cat }]);
	});

	it('appends images to content that already is a list of parts, without changing it', () => {
		const parts = [{ type: 'text', text: 'Compare:' }];
		expect(userContentParts(parts, [cat])).toEqual([
			{ type: 'text', text: 'Compare:' },
			{ type: 'image_url', image_url: cat },
		]);
		expect(parts).toHaveLength(1);
	});
});

describe('imageDataUrl and the MIME type', () => {
	it('encodes the bytes as base64 under the MIME type without its parameters', () => {
		expect(imageDataUrl('image/png', Buffer.from([1, 2, 3]))).toBe('data:image/png;base64,AQID');
		expect(imageDataUrl('Image/JPEG; name=a.jpg', Buffer.from('hi'))).toBe(
			'data:image/jpeg;base64,aGk=',
		);
		expect(baseMimeType(' image/webp ')).toBe('image/webp');
	});

	it('takes only the details the APIs know', () => {
		expect(['auto', 'low', 'high', 'default', '', undefined].map(imageDetail)).toEqual([
			'auto',
			'low',
			'high',
			undefined,
			undefined,
			undefined,
		]);
	});
});

describe('checks', () => {
	it('accepts http(s) and data:image/ URLs, trimmed; refuses the rest, shortened', () => {
		expect(checkImageUrl(' https://a.test/x.png ', 'Image 1', fail)).toBe('https://a.test/x.png');
		expect(checkImageUrl('HTTP://a.test/x', 'Image 1', fail)).toBe('HTTP://a.test/x');
		expect(checkImageUrl('data:image/svg+xml,<svg/>', 'Image 1', fail)).toBe(
			'data:image/svg+xml,<svg/>',
		);
		expect(refusal(() => checkImageUrl('file:///etc/passwd', 'Image 1', fail))).toBe(
			'Image 1: Image URL must start with http://, https:// or data:image/ (got "file:///etc/passwd")',
		);
		expect(refusal(() => checkImageUrl('images/cat.png', 'Image 1', fail))).toMatch(
			/\(got "images\/cat\.png"\)$/,
		);
		expect(refusal(() => checkImageUrl(`data:text/plain,${'x'.repeat(100)}`, 'I', fail))).toBe(
			`I: Image URL must start with http://, https:// or data:image/ (got "data:text/plain,${'x'.repeat(44)}…")`,
		);
		expect(refusal(() => checkImageUrl(42, 'Image 1', fail))).toBe('Image 1: Image URL is empty');
	});

	it('accepts image/* binaries only, naming the MIME type and the file', () => {
		const png = { property: 'data', mimeType: 'image/PNG', fileName: 'a.png' };
		expect(checkImageType(png, 'Image 1', fail)).toBe('image/png');
		expect(
			refusal(() =>
				checkImageType(
					{ property: 'doc', mimeType: 'application/pdf', fileName: 'a.pdf' },
					'L',
					fail,
				),
			),
		).toBe('L: the binary property "doc" ("a.pdf") is application/pdf, not an image');
		expect(refusal(() => checkImageType({ property: 'x' }, 'L', fail))).toBe(
			'L: the binary property "x" is of unknown type, not an image',
		);
	});

	it(`accepts ${MAX_IMAGE_BYTES / 1024 / 1024} MB exactly; one byte more is refused, rounded up`, () => {
		const binary = { property: 'data', fileName: 'big.png' };
		expect(refusal(() => checkImageSize(MAX_IMAGE_BYTES, binary, 'L', fail))).toBe('accepted');
		expect(refusal(() => checkImageSize(MAX_IMAGE_BYTES + 1, binary, 'L', fail))).toBe(
			'L: the binary property "data" ("big.png") is 20.1 MB, more than the 20 MB an image may have',
		);
	});
});
