package dev.anet.boot.autoconfigure;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

/**
 * Keeps a route's stage cancellable through what the starter chains to it (converting the
 * answer, answering a failure): the server cancels the stage it waits for when a stop gives up
 * on it, and that must reach the method's own future.
 */
final class CancelsSource {

	private CancelsSource() {
	}

	/**
	 * Make cancelling a dependent stage cancel the stage it was made from.
	 * @param dependent the stage the server gets
	 * @param source the stage it depends on (cancelled only if it is a {@link Future})
	 * @param <T> the answer type
	 * @return the dependent stage
	 */
	static <T> CompletionStage<T> cancelling(CompletionStage<T> dependent, CompletionStage<?> source) {
		if (source instanceof Future<?> cancellable) {
			// the failure, not isCancelled(): a minimal stage answers neither isDone() nor isCancelled()
			dependent.whenComplete((answer, failure) -> {
				if (failure instanceof CancellationException) {
					try {
						cancellable.cancel(false);
					}
					catch (UnsupportedOperationException ex) {
						// a minimal stage cannot be cancelled: it completes when it does
					}
				}
			});
		}
		return dependent;
	}

}
