import type { IDataObject } from 'n8n-workflow';

import type { BinaryItem } from '../support/engine';
import { runWorkflow, useBinaryDataMode } from '../support/engine';
import { useFaultServer } from '../support/faultServer';
import { credentialsFor, messageParams, PROVIDER_IDS } from '../support/params';
import type { ProviderId } from '../support/params';

const server = useFaultServer();

/** Two 1×1 PNGs (a red and a blue pixel), so each item's request can be told apart. */
const PNG =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP4z8DwHwAFAAH/VscvDQAAAABJRU5ErkJggg==';
const PNG_2 =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNgYPj/HwADAgH/OSkZvgAAAABJRU5ErkJggg==';
const dataUrl = (base64: string, mimeType = 'image/png') => `data:${mimeType};base64,${base64}`;

const file = (data = PNG, mimeType = 'image/png', fileName = 'pixel.png') => ({
	data,
	mimeType,
	fileName,
});
const withFiles = (binary: BinaryItem['binary'], json = {}): BinaryItem => ({ json, binary });

type Image = Record<string, string>;
const userWith = (images: Image[], content = 'What is in the picture?', role = 'user') => ({
	messages: { values: [{ role, content, images: { values: images } }] },
});
const fromBinary = (binaryProperty = 'data', extra: Image = {}) => ({
	source: 'binary',
	binaryProperty,
	...extra,
});
const fromUrl = (url: string, extra: Image = {}) => ({ source: 'url', url, ...extra });

// [name, provider, credential extras]: the Hugging Face credential reaches the router or a TGI.
const targets: Array<[string, ProviderId, Record<string, string>]> = [
	...PROVIDER_IDS.map((id): [string, ProviderId, Record<string, string>] => [id, id, {}]),
	['huggingFaceTgi (self-hosted)', 'huggingFaceTgi', { serverKind: 'selfHosted' }],
];

const run = async (
	overrides: Record<string, unknown>,
	items: Array<IDataObject | BinaryItem>,
	options: {
		provider?: ProviderId;
		credential?: Record<string, string>;
		continueOnFail?: boolean;
	} = {},
) => {
	const provider = options.provider ?? 'openAi';
	return await runWorkflow({
		parameters: messageParams(provider, overrides),
		credentials: credentialsFor(provider, server.url, options.credential),
		items,
		continueOnFail: options.continueOnFail,
	});
};

describe.each(targets)('%s: images in a user message', (_name, provider, credential) => {
	it('sends a binary PNG as a data URL and an image URL as image_url parts after the text', async () => {
		const result = await run(
			userWith([
				fromBinary('data', { detail: 'high' }),
				fromUrl('https://images.example.test/cat.jpg', { detail: 'low' }),
				fromUrl(dataUrl(PNG_2, 'image/webp')),
			]),
			[withFiles({ data: file() })],
			{ provider, credential },
		);
		expect(result.error).toBeUndefined();
		expect(server.chats).toHaveLength(1);
		expect(server.seen[0].body.messages).toEqual([
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'What is in the picture?' },
					{ type: 'image_url', image_url: { url: dataUrl(PNG), detail: 'high' } },
					{
						type: 'image_url',
						image_url: { url: 'https://images.example.test/cat.jpg', detail: 'low' },
					},
					{ type: 'image_url', image_url: { url: dataUrl(PNG_2, 'image/webp') } },
				],
			},
		]);
		expect(result.output).toHaveLength(1);
	});
});

describe('images: each item its own', () => {
	it('reads the binary of the item being sent (property name from an expression), in order', async () => {
		const items = [PNG, PNG_2, PNG].map((data, index) =>
			withFiles({ [`file${index}`]: file(data, 'image/jpeg', `p${index}.jpg`) }, { index }),
		);
		const result = await run(
			{
				...userWith([fromBinary('={{ "file" + $json.index }}')], '={{ "item " + $json.index }}'),
				options: { maxConcurrency: 3 },
			},
			items,
		);
		expect(result.error).toBeUndefined();
		const sent = Object.fromEntries(
			server.seen.map(({ body }) => [
				body.messages[0].content[0].text,
				body.messages[0].content[1],
			]),
		);
		expect(sent).toEqual({
			'item 0': { type: 'image_url', image_url: { url: dataUrl(PNG, 'image/jpeg') } },
			'item 1': { type: 'image_url', image_url: { url: dataUrl(PNG_2, 'image/jpeg') } },
			'item 2': { type: 'image_url', image_url: { url: dataUrl(PNG, 'image/jpeg') } },
		});
		expect(result.output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
	});

	it('sends a message of images alone; a non-user message keeps no images', async () => {
		await run(userWith([fromUrl('https://images.example.test/a.png')], ''), [{}]);
		expect(server.seen[0].body.messages[0].content).toEqual([
			{ type: 'image_url', image_url: { url: 'https://images.example.test/a.png' } },
		]);
		await run(
			{
				messages: {
					values: [
						{ role: 'user', content: 'Hi' },
						{ role: 'assistant', content: 'Hello', images: { values: [fromBinary()] } },
					],
				},
			},
			[{}],
		);
		expect(server.seen[1].body.messages[1]).toEqual({ role: 'assistant', content: 'Hello' });
	});
});

const MB = 1024 * 1024;
const tooBig = Buffer.alloc(20 * MB + 1).toString('base64');

// [case, images, the item's files (undefined: a JSON-only item), message, description]
const badCases: Array<
	[string, Image[], BinaryItem['binary'] | undefined, string, RegExp | undefined]
> = [
	[
		'a binary property the item lacks',
		[fromBinary('data')],
		{ photo: file(), scan: file() },
		'Message 1, Image 1: the item has no binary property "data" [item 0]',
		/^Its binary properties: photo, scan\.$/,
	],
	[
		'an item without any binary data',
		[fromBinary('data')],
		undefined,
		'Message 1, Image 1: the item has no binary property "data" [item 0]',
		/^It has no binary data at all/,
	],
	[
		'a binary that is not an image',
		[fromUrl('https://images.example.test/ok.png'), fromBinary('data')],
		{ data: file(PNG, 'application/pdf', 'report.pdf') },
		'Message 1, Image 2: the binary property "data" ("report.pdf") is application/pdf, not an image [item 0]',
		/image\/\*/,
	],
	[
		'a binary larger than 20 MB',
		[fromBinary('data')],
		{ data: file(tooBig, 'image/png', 'huge.png') },
		'Message 1, Image 1: the binary property "data" ("huge.png") is 20.1 MB, more than the 20 MB an image may have [item 0]',
		/smaller/,
	],
	[
		'an image URL that is not http(s)',
		[fromUrl('ftp://images.example.test/a.png')],
		undefined,
		'Message 1, Image 1: Image URL must start with http://, https:// or data:image/ (got "ftp://images.example.test/a.png") [item 0]',
		/data:image\/png;base64/,
	],
	[
		'a data URL that is not an image',
		[fromUrl('data:text/plain;base64,aGk=')],
		undefined,
		'Message 1, Image 1: Image URL must start with http://, https:// or data:image/ (got "data:text/plain;base64,aGk=") [item 0]',
		/data:image\/png;base64/,
	],
	[
		'an empty image URL',
		[fromUrl('  ')],
		undefined,
		'Message 1, Image 1: Image URL is empty [item 0]',
		/data:image\/png;base64/,
	],
	[
		'an empty binary property name',
		[fromBinary('')],
		{ data: file() },
		'Message 1, Image 1: Binary Property is empty [item 0]',
		/often "data"/,
	],
];

describe('bad images are refused before any request, naming the item and the field', () => {
	it.each(badCases)('%s', async (_name, images, binary, message, description) => {
		for (const provider of PROVIDER_IDS) {
			const item = binary ? withFiles(binary) : {};
			const result = await run(userWith(images), [item], { provider });
			expect(result.error?.name).toBe('NodeOperationError');
			expect(result.error?.message).toBe(message);
			if (description) expect(result.error?.description).toMatch(description);
			expect(result.error?.context?.itemIndex).toBe(0);
		}
		expect(server.seen).toHaveLength(0);
	});

	it('names the item whose file is missing', async () => {
		const items = [withFiles({ data: file() }), withFiles({ data: file() }), { no: 'file' }];
		const result = await run(
			{ ...userWith([fromBinary()]), options: { maxConcurrency: 1 } },
			items,
		);
		expect(result.error?.message).toBe(
			'Message 1, Image 1: the item has no binary property "data" [item 2]',
		);
		expect(result.error?.context?.itemIndex).toBe(2);
		// One at a time: the two items before it were sent, nothing for it.
		expect(server.seen).toHaveLength(2);
	});

	it('with Continue On Fail gives exactly one output item per input item, paired', async () => {
		const items = [
			withFiles({ data: file() }),
			withFiles({ other: file() }),
			withFiles({ data: file(PNG, 'text/plain', 'notes.txt') }),
			withFiles({ data: file(PNG_2) }),
		];
		const result = await run(userWith([fromBinary()]), items, { continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3].map((item) => ({ item })),
		);
		expect(result.output.map((item) => item.json.error ?? 'answered')).toEqual([
			'answered',
			'Message 1, Image 1: the item has no binary property "data" [item 1]',
			'Message 1, Image 1: the binary property "data" ("notes.txt") is text/plain, not an image [item 2]',
			'answered',
		]);
		expect(result.output[1].json.errorDescription).toBe('Its binary properties: other.');
		// Only the two good items reached the server.
		expect(server.seen).toHaveLength(2);
	});
});

// Last in this file: the mode stays set for n8n-core's binary data service until switched back.
describe("n8n's filesystem binary data mode", () => {
	beforeAll(async () => await useBinaryDataMode('filesystem'));
	afterAll(async () => await useBinaryDataMode('default'));

	it('reads a file n8n stored on disk and sends it as a data URL', async () => {
		const result = await run(userWith([fromBinary()]), [withFiles({ data: file(PNG_2) })]);
		expect(result.error).toBeUndefined();
		const stored = result.run.data.resultData.runData['Manual Trigger'][0].data!.main[0]![0];
		expect(stored.binary!.data.id).toMatch(/^filesystem-v2:/);
		expect(server.seen[0].body.messages[0].content[1]).toEqual({
			type: 'image_url',
			image_url: { url: dataUrl(PNG_2) },
		});
	});

	it('refuses a stored file larger than 20 MB before any request', async () => {
		const result = await run(userWith([fromBinary()]), [
			withFiles({ data: file(tooBig, 'image/png', 'huge.png') }),
		]);
		expect(result.error?.message).toBe(
			'Message 1, Image 1: the binary property "data" ("huge.png") is 20.1 MB, more than the 20 MB an image may have [item 0]',
		);
		expect(server.seen).toHaveLength(0);
	});
});
