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

	const lane = async () => {
		while (failure === undefined && next < count) {
			const index = next++;
			try {
				results[index] = await worker(index);
			} catch (error) {
				failure ??= { error };
			}
		}
	};

	const lanes = Math.max(1, Math.min(Math.floor(concurrency) || 1, count));
	await Promise.all(Array.from({ length: lanes }, lane));
	if (failure !== undefined) throw failure.error;
	return results;
}
