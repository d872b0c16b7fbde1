/** Around an item's sends: fallback models, its cost, the execution's budget and n8n's telemetry. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Cost } from '../../../shared/chat/cost';
import { costOf, readPricesOption } from '../../../shared/chat/cost';
import { readFallbackModels, sendWithFallback } from '../../../shared/chat/fallback';
import { simplifyUsage } from '../../../shared/chat/response';
import type { Fail } from '../../../shared/chat/validation';
import { isObject } from '../../../shared/json';
import { lookUpPrice, processPriceLists } from '../../../shared/prices';
import { runTelemetry } from '../../../shared/telemetry';
import type { Endpoint } from '../../../shared/transport';
import type { Budget } from './budget';
import { BUDGET_OPTION, budgetFor, readBudget } from './budget';
import { budgetPerExecution, fallbackModels, pricesPerMillionTokens } from './reliable.description';

/** Which model a send goes to, and who sees the answer's headers. */
export interface Via {
	model?: string;
	onResponse?: (headers: IDataObject) => void;
}

/** One per node run. */
export function reliability(ctx: IExecuteFunctions) {
	const telemetry = runTelemetry(ctx);
	let budget: Budget | undefined;
	return {
		/** Node-wide settings, from the first item's options. */
		readNodeSettings(options: IDataObject, fail: Fail): void {
			const limit = readBudget(options[BUDGET_OPTION], budgetPerExecution.displayName, fail);
			budget = budgetFor(
				ctx.getNode(),
				ctx.getExecutionId(),
				limit,
				budgetPerExecution.displayName,
			);
		},

		/** Checked before the item's first request: its budget, fallback models and prices. */
		item(itemIndex: number, model: string, itemOptions: IDataObject, target: Endpoint, fail: Fail) {
			budget?.check(itemIndex);
			const models = [
				model,
				...readFallbackModels(
					itemOptions[fallbackModels.name],
					model,
					fallbackModels.displayName,
					fail,
				),
			];
			const optionPrice = readPricesOption(
				itemOptions[pricesPerMillionTokens.name],
				pricesPerMillionTokens.displayName,
				fail,
			);
			const shape = target.provider.priceList;
			if (budget && !optionPrice && !shape)
				fail(
					`${budgetPerExecution.displayName} needs prices: ${target.provider.displayName} lists none`,
					`Set "${pricesPerMillionTokens.displayName}" so each answer's cost can be counted.`,
				);
			let headers: IDataObject | undefined;
			const via: Via = { model, onResponse: (seen) => (headers = seen) };
			let fallbackFrom: { model: string; error: string } | undefined;

			const priceOf = async (answering: string) => {
				if (optionPrice) return { price: optionPrice, source: 'option' as const };
				if (!shape) return undefined;
				const list = await processPriceLists.get(ctx, target, shape);
				const price = lookUpPrice(list, shape, answering, headers);
				return price && { price, source: 'modelList' as const };
			};

			return {
				/** The repair turn goes to the model that answered. */
				via,
				/** The item's first send, on each model in turn until one answers. */
				async first(send: (via: Via) => Promise<IDataObject>): Promise<IDataObject> {
					const answered = await sendWithFallback(models, target.rateLimitKey, async (to) => {
						headers = undefined;
						return await send({ ...via, model: to });
					});
					via.model = answered.model;
					fallbackFrom = answered.fallbackFrom;
					return answered.value;
				},
				/** The item's output with who answered, what it cost, counted in budget and telemetry. */
				async finish(output: IDataObject): Promise<IDataObject> {
					const answering = via.model ?? model;
					const result: IDataObject = { ...output };
					if (result.model === undefined || result.model === null) result.model = answering;
					if (fallbackFrom) result.fallbackFrom = fallbackFrom;
					// The raw completion has the API's usage; the simplified output already has ours.
					const raw = Array.isArray(output.choices);
					const usage = raw
						? simplifyUsage(isObject(output.usage) ? output.usage : {})
						: ((output.usage ?? {}) as IDataObject);
					const priced = await priceOf(answering);
					const cost: Cost | undefined = priced && costOf(usage, priced.price, priced.source);
					if (cost) {
						result.cost = cost;
						budget?.add(cost.total);
					}
					const router = shape?.perProvider && headers?.[shape.perProvider.header];
					const firstChoice = raw ? (output.choices as IDataObject[])[0] : undefined;
					telemetry({
						requestModel: model,
						responseModel: String(output.model ?? answering),
						provider: target.provider.telemetryName,
						inferenceProvider: typeof router === 'string' && router ? router : undefined,
						usage,
						finishReason: raw ? firstChoice?.finish_reason : output.finishReason,
						costUsd: cost?.total,
						fellBack: fallbackFrom !== undefined,
					});
					return result;
				},
			};
		},
	};
}
