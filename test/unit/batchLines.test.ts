import { batchFiles, customIdOf, itemIndexOf } from '../../nodes/shared/batch/lines';
import { multipartBody } from '../../nodes/shared/batch/multipart';
import { readResults } from '../../nodes/shared/batch/results';
import { PROVIDERS } from '../../nodes/shared/providers';

const openAi = PROVIDERS.openAi.batch!;
const lines = (count: number, text = 'hi') =>
	Array.from({ length: count }, (_v, itemIndex) => ({
		itemIndex,
		body: { model: 'm', messages: [{ role: 'user', content: text }] },
	}));

describe('batch input files', () => {
	it('custom ids name the item and fit every provider', () => {
		expect(customIdOf(12)).toBe('item-12');
		expect(itemIndexOf('item-12')).toBe(12);
		expect(itemIndexOf('other-1')).toBeUndefined();
		expect(customIdOf(10_000_000).length).toBeLessThanOrEqual(
			PROVIDERS.togetherAi.batch!.maxCustomIdLength,
		);
	});

	it('splits by the request count and by the file size of a job', () => {
		const byCount = batchFiles({ ...openAi, maxRequests: 2 }, lines(5));
		expect(byCount.map((file) => file.itemIndexes)).toEqual([[0, 1], [2, 3], [4]]);
		const oneLine = batchFiles(openAi, lines(1))[0].content;
		const bySize = batchFiles({ ...openAi, maxFileBytes: oneLine.length * 3 }, lines(7));
		expect(bySize.map((file) => file.itemIndexes.length)).toEqual([3, 3, 1]);
		expect(bySize.every((file) => Buffer.byteLength(file.content) <= oneLine.length * 3)).toBe(
			true,
		);
		expect(JSON.parse(oneLine)).toEqual({
			custom_id: 'item-0',
			method: 'POST',
			url: '/v1/chat/completions',
			body: lines(1)[0].body,
		});
	});

	it('Together lines carry only custom_id and body', () => {
		const [file] = batchFiles(PROVIDERS.togetherAi.batch!, lines(1));
		expect(Object.keys(JSON.parse(file.content))).toEqual(['custom_id', 'body']);
	});

	it('a multipart body whose boundary occurs nowhere in its content', () => {
		const form = multipartBody(
			{ purpose: 'batch' },
			{ name: 'file', fileName: 'a.jsonl', contentType: 'application/jsonl', content: '{"a":1}\n' },
		);
		const boundary = form.contentType.split('boundary=')[1];
		expect(
			form.body.startsWith(
				`--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n`,
			),
		).toBe(true);
		expect(form.body.endsWith(`{"a":1}\n\r\n--${boundary}--\r\n`)).toBe(true);
	});
});

describe('batch result files', () => {
	const ok = (id: string) =>
		JSON.stringify({
			custom_id: id,
			response: { status_code: 200, body: { choices: [{ message: { content: id } }] } },
		});

	it('reads answers and failures of every shape, by custom id, ignoring junk lines', () => {
		const text = [
			ok('item-1'),
			'',
			'not json',
			JSON.stringify({
				custom_id: 'item-2',
				response: {
					status_code: 429,
					body: { error: { message: 'Rate limited', code: 'rate_limit' } },
				},
			}),
			JSON.stringify({ custom_id: 'item-3', error: { message: 'Bad line' } }),
			JSON.stringify({ custom_id: 'item-4', error: 'plain text' }),
		].join('\n');
		const results = readResults(text);
		expect([...results.keys()]).toEqual(['item-1', 'item-2', 'item-3', 'item-4']);
		expect(results.get('item-2')).toEqual({
			customId: 'item-2',
			error: { message: 'Rate limited', code: 'rate_limit', status: 429 },
		});
		expect(results.get('item-3')).toMatchObject({ error: { message: 'Bad line' } });
		expect(results.get('item-4')).toMatchObject({ error: { message: 'plain text' } });
	});

	it('an answer is not replaced by a failure from the error file', () => {
		const results = readResults(ok('item-1'));
		readResults(JSON.stringify({ custom_id: 'item-1', error: { message: 'x' } }), results);
		expect('completion' in results.get('item-1')!).toBe(true);
	});
});
