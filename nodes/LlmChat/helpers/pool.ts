import { sleep } from 'n8n-workflow';

/**
 * Runs `worker(0..count-1)` with at most `concurrency` in flight and returns the
 * results in index order. After the first failure no new index starts; the ones
 * in flight finish, then that failure is thrown.
 */
export async function mapConcurrent<T>(
	count: number,
	concurrency: number,
	worker: (index: number) => Promise<T>,
): Promise<T[]> {
	const results = new Array<T>(count);
	let next = 0;
	let failure: { error: unknown } | undefined;
	const lanes = Math.max(1, Math.min(Math.floor(concurrency) || 1, count));

	const lane = async () => {
		while (failure === undefined && next < count) {
			// Each item starts in its own turn of the event loop. Otherwise replies that arrive
			// together are answered by a burst of requests that also return together, and the
			// lanes keep moving in lockstep, each round waiting for the whole batch's CPU time.
			if (lanes > 1) await sleep(0);
			if (failure !== undefined || next >= count) break;
			const index = next++;
			try {
				results[index] = await worker(index);
			} catch (error) {
				failure ??= { error };
			}
		}
	};

	await Promise.all(Array.from({ length: lanes }, lane));
	if (failure !== undefined) throw failure.error;
	return results;
}
