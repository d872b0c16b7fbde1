// The pure parts of fallback models and prices: the cool-down's clock and bounds, price-list shapes.
import { ModelHealthBook, readFallbackModels } from '../../nodes/shared/chat/fallback';
import { costOf } from '../../nodes/shared/chat/cost';
import { lookUpPrice, parsePriceList } from '../../nodes/shared/prices';
import { dialectFor, PROVIDERS } from '../../nodes/shared/providers';

const fail = (message: string): never => {
	throw new Error(message);
};

describe('Fallback Models option', () => {
	it('reads commas and new lines, forgives a trailing separator', () => {
		expect(readFallbackModels('a, b\nc,\n', 'm', 'Fallback Models', fail)).toEqual(['a', 'b', 'c']);
		expect(readFallbackModels('', 'm', 'Fallback Models', fail)).toEqual([]);
	});
});

describe('cool-down', () => {
	it('starts after the threshold, ends after its time, and one more failure restarts it', () => {
		const book = new ModelHealthBook(2, 1000, 10);
		book.failed('k', 'm', 'down', 0);
		expect(book.coolingDown('k', 'm', 1)).toBeUndefined();
		book.failed('k', 'm', 'down again', 1);
		expect(book.coolingDown('k', 'm', 500)?.lastError).toBe('down again');
		expect(book.coolingDown('k', 'm', 1001)).toBeUndefined();
		book.failed('k', 'm', 'still down', 1002);
		expect(book.coolingDown('k', 'm', 1003)).toBeDefined();
		book.succeeded('k', 'm');
		expect(book.coolingDown('k', 'm', 1004)).toBeUndefined();
	});

	it('keeps at most its bound of models, the oldest dropped first', () => {
		const book = new ModelHealthBook(1, 1000, 3);
		for (const model of ['a', 'b', 'c', 'd']) book.failed('k', model, 'down', 0);
		expect(book.size).toBe(3);
		expect(book.coolingDown('k', 'a', 1)).toBeUndefined();
		expect(book.coolingDown('k', 'd', 1)).toBeDefined();
	});
});

describe('price lists in each shape', () => {
	it("Together's bare array and the router's providers", () => {
		const together = PROVIDERS.togetherAi.priceList!;
		const list = parsePriceList(
			[{ id: 'x', pricing: { input: '1.5', output: 2, cached_input: 0 } }, { id: 'y' }],
			together,
		);
		expect(lookUpPrice(list, together, 'x', undefined)).toEqual({ input: 1.5, output: 2 });
		expect(lookUpPrice(list, together, 'y', undefined)).toBeUndefined();
		const router = PROVIDERS.huggingFaceTgi.priceList!;
		const prices = parsePriceList(
			{ data: [{ id: 'm', providers: [{ provider: 'p', pricing: { input: 1, output: 1 } }] }] },
			router,
		);
		expect(lookUpPrice(prices, router, 'm', undefined)).toBeUndefined();
		expect(lookUpPrice(prices, router, 'm:p', undefined)).toEqual({ input: 1, output: 1 });
		expect(lookUpPrice(prices, router, 'm', { 'x-inference-provider': 'p' })).toBeDefined();
	});

	it('a self-hosted TGI and OpenAI list no prices', () => {
		expect(
			dialectFor(PROVIDERS.huggingFaceTgi, { serverKind: 'selfHosted' }).priceList,
		).toBeUndefined();
		expect(PROVIDERS.openAi.priceList).toBeUndefined();
	});

	it('no token counts, no cost', () => {
		expect(
			costOf({ promptTokens: null, completionTokens: 3 }, { input: 1, output: 1 }, 'option'),
		).toBeUndefined();
	});
});
