/** Model prices from a provider's model list, fetched once per credential and kept for a while. */
import type { IDataObject } from 'n8n-workflow';

import {
	MAX_PRICE_LISTS,
	MODEL_LIST_POLICY,
	PRICE_LIST_RETRY_MS,
	PRICE_LIST_TTL_MS,
} from './defaults';
import { isObject } from './json';
import { isModelList } from './models';
import type { PriceListShape } from './providers';
import type { Endpoint, RequestContext } from './transport';
import { apiRequest } from './transport';

/** USD per million tokens. */
export interface Price {
	input: number;
	output: number;
	/** Unset: cached input tokens cost what other input tokens cost. */
	cachedInput?: number;
}

/** Prices by model id, and by `model:provider` for a router's providers. */
export type PriceList = Map<string, Price>;

const amount = (value: unknown): number | undefined => {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : undefined;
};

/** A price object as the list has it; none when input or output is missing, or both are 0 (unpriced). */
function priceOf(holder: unknown, shape: PriceListShape): Price | undefined {
	if (!isObject(holder) || !isObject(holder[shape.field])) return undefined;
	const pricing = holder[shape.field] as IDataObject;
	const input = amount(pricing[shape.input]);
	const output = amount(pricing[shape.output]);
	// Together lists image, audio and unpriced models with 0 for both: not a price of 0.
	if (input === undefined || output === undefined || (input === 0 && output === 0))
		return undefined;
	const cachedInput = shape.cachedInput ? amount(pricing[shape.cachedInput]) : undefined;
	return cachedInput === undefined || cachedInput === 0
		? { input, output }
		: { input, output, cachedInput };
}

/** Reads a model list body (a bare array or OpenAI's `{data}`) into prices. */
export function parsePriceList(body: unknown, shape: PriceListShape): PriceList {
	const prices: PriceList = new Map();
	const entries = Array.isArray(body)
		? body
		: isObject(body) && Array.isArray(body.data)
			? body.data
			: [];
	for (const entry of entries) {
		if (!isObject(entry) || typeof entry.id !== 'string') continue;
		const own = priceOf(entry, shape);
		if (own) prices.set(entry.id, own);
		const per = shape.perProvider;
		if (!per || !Array.isArray(entry[per.list])) continue;
		for (const offer of entry[per.list] as unknown[]) {
			if (!isObject(offer) || typeof offer[per.name] !== 'string') continue;
			const price = priceOf(offer, shape);
			if (price) prices.set(`${entry.id}:${offer[per.name] as string}`, price);
		}
	}
	return prices;
}

/**
 * The price of the model that answered. Behind a router the provider that answered decides
 * it: from the reply's header, else from the model id's `:provider` suffix; without either
 * the price is unknown (each provider charges its own).
 */
export function lookUpPrice(
	prices: PriceList,
	shape: PriceListShape,
	model: string,
	headers: IDataObject | undefined,
): Price | undefined {
	if (!shape.perProvider) return prices.get(model);
	const colon = model.lastIndexOf(':');
	const base = colon > 0 ? model.slice(0, colon) : model;
	const header = headers?.[shape.perProvider.header];
	const provider =
		typeof header === 'string' && header !== '' ? header : colon > 0 ? model.slice(colon + 1) : '';
	return provider ? prices.get(`${base}:${provider}`) : undefined;
}

interface Cached {
	until: number;
	prices: Promise<PriceList>;
}

/**
 * Price lists per credential (its rate-limit key), shared by every execution of this
 * process: fetched once, kept PRICE_LIST_TTL_MS, the oldest dropped beyond MAX_PRICE_LISTS.
 * The promise is kept, so concurrent items wait for one request instead of each sending one.
 */
export class PriceLists {
	private readonly lists = new Map<string, Cached>();

	constructor(private readonly maxLists = MAX_PRICE_LISTS) {}

	clear(): void {
		this.lists.clear();
	}

	async get(
		ctx: RequestContext,
		endpoint: Endpoint,
		shape: PriceListShape,
		now = Date.now(),
	): Promise<PriceList> {
		// The dialect too: one list per API, even where two credentials share an id (as in tests).
		const key = JSON.stringify([
			endpoint.rateLimitKey,
			endpoint.provider.id,
			endpoint.provider.priceList,
		]);
		const cached = this.lists.get(key);
		if (cached && cached.until > now) return await cached.prices;
		const entry: Cached = { until: now + PRICE_LIST_TTL_MS, prices: Promise.resolve(new Map()) };
		entry.prices = fetchPrices(ctx, endpoint, shape).catch(() => {
			// No prices, no cost field: the item's answer is not failed for it. Asked again later.
			entry.until = Date.now() + PRICE_LIST_RETRY_MS;
			return new Map();
		});
		this.lists.delete(key);
		this.lists.set(key, entry);
		while (this.lists.size > this.maxLists) this.lists.delete(this.lists.keys().next().value!);
		return await entry.prices;
	}
}

export const processPriceLists = new PriceLists();

async function fetchPrices(
	ctx: RequestContext,
	endpoint: Endpoint,
	shape: PriceListShape,
): Promise<PriceList> {
	const body = await apiRequest.call(
		ctx,
		endpoint,
		'GET',
		endpoint.provider.modelsPath,
		undefined,
		{
			...MODEL_LIST_POLICY,
			expect: { what: 'a model list', check: isModelList },
		},
	);
	return parsePriceList(body, shape);
}
