import { orderedChunks } from '../../nodes/LlmChat/helpers/orderedChunks';

type Sent = [string, number, string | undefined];

function recorder() {
	const sent: Sent[] = [];
	const send = orderedChunks(async (type, itemIndex, content) => {
		// A send that takes a moment, as n8n's writing to the response does.
		await new Promise((resolve) => setImmediate(resolve));
		sent.push([type, itemIndex, content]);
	});
	return { sent, send };
}

describe('orderedChunks', () => {
	it('streams the first item live and holds later ones until the items before them end', async () => {
		const { sent, send } = recorder();
		await Promise.all([send('begin', 0), send('begin', 1), send('begin', 2)]);
		await send('item', 2, 'c');
		await send('end', 2); // the third item finished first
		await send('item', 0, 'a1');
		expect(sent).toEqual([
			['begin', 0, undefined],
			['item', 0, 'a1'],
		]);
		await send('item', 1, 'b1');
		await send('item', 0, 'a2');
		await send('end', 0);
		// Item 1 is flushed and then streams on; item 2 waits for it.
		await send('item', 1, 'b2');
		expect(sent.slice(2)).toEqual([
			['item', 0, 'a2'],
			['end', 0, undefined],
			['begin', 1, undefined],
			['item', 1, 'b1'],
			['item', 1, 'b2'],
		]);
		await send('end', 1);
		expect(sent.slice(7)).toEqual([
			['end', 1, undefined],
			['begin', 2, undefined],
			['item', 2, 'c'],
			['end', 2, undefined],
		]);
	});

	it('an error chunk ends an item like end does', async () => {
		const { sent, send } = recorder();
		await send('begin', 1);
		await send('end', 1);
		await send('begin', 0);
		await send('error', 0, 'boom');
		expect(sent.map(([type, item]) => `${type}${item}`)).toEqual([
			'begin0',
			'error0',
			'begin1',
			'end1',
		]);
	});

	it('concurrent calls never overtake a flush', async () => {
		const { sent, send } = recorder();
		await send('begin', 0);
		await send('begin', 1);
		await Promise.all(Array.from({ length: 20 }, (_, i) => send('item', 1, `b${i}`)));
		await Promise.all([send('end', 0), send('item', 1, 'late'), send('end', 1)]);
		const one = sent.filter(([, item]) => item === 1).map(([type, , content]) => content ?? type);
		expect(one).toEqual(['begin', ...Array.from({ length: 20 }, (_, i) => `b${i}`), 'late', 'end']);
	});

	it('a failed send fails only its own call', async () => {
		let fail = true;
		const send = orderedChunks(async () => {
			if (fail) {
				fail = false;
				throw new Error('client gone');
			}
		});
		await expect(send('begin', 0)).rejects.toThrow('client gone');
		await expect(send('item', 0, 'x')).resolves.toBeUndefined();
	});
});
