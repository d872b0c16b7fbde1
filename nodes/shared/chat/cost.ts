/** What one answer cost, from its token counts and a price per million tokens. */
import type { IDataObject } from 'n8n-workflow';

import type { Price } from '../prices';
import type { Fail } from './validation';
import { readNumber } from './validation';

export interface Cost extends IDataObject {
	input: number;
	cachedInput: number;
	output: number;
	total: number;
	currency: 'USD';
	/** Where the price came from: the Prices option, or the provider's model list. */
	source: 'option' | 'modelList';
}

// Prices like 1.0399999999999998 would show their float noise in every cost otherwise.
const usd = (value: number) => Math.round(value * 1e10) / 1e10;

const count = (value: unknown) => (typeof value === 'number' && value >= 0 ? value : undefined);

/**
 * The cost of a simplified `usage` (promptTokens, completionTokens, cachedTokens). Cached
 * prompt tokens are a part of the prompt tokens, priced at the cached rate where there is one.
 * No token counts, no cost: never a guessed 0.
 */
export function costOf(usage: unknown, price: Price, source: Cost['source']): Cost | undefined {
	const counts = (usage ?? {}) as IDataObject;
	const prompt = count(counts.promptTokens);
	const completion = count(counts.completionTokens);
	if (prompt === undefined || completion === undefined) return undefined;
	const cached = Math.min(count(counts.cachedTokens) ?? 0, prompt);
	const input = ((prompt - cached) * price.input) / 1e6;
	const cachedInput = (cached * (price.cachedInput ?? price.input)) / 1e6;
	const output = (completion * price.output) / 1e6;
	return {
		input: usd(input),
		cachedInput: usd(cachedInput),
		output: usd(output),
		total: usd(input + cachedInput + output),
		currency: 'USD',
		source,
	};
}

/**
 * The Prices per Million Tokens option: `{prices: {input, cachedInput, output}}` as n8n hands
 * a fixed collection over. A Cached Input of 0 (its default) means "as Input".
 */
export function readPricesOption(value: unknown, label: string, fail: Fail): Price | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const values = (value as IDataObject).prices;
	if (typeof values !== 'object' || values === null) return undefined;
	const fields = values as IDataObject;
	const bounds = { min: 0, max: 1_000_000 };
	const input = readNumber(fields.input ?? 0, `${label}: Input`, bounds, fail) ?? 0;
	const output = readNumber(fields.output ?? 0, `${label}: Output`, bounds, fail) ?? 0;
	const cachedInput = readNumber(fields.cachedInput, `${label}: Cached Input`, bounds, fail);
	return cachedInput ? { input, output, cachedInput } : { input, output };
}
