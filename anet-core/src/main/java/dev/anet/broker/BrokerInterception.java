package dev.anet.broker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.anet.internal.Failures;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link BrokerInterceptor}s of a broker around its sends. Made only when there is at
 * least one interceptor, so a broker without them does not pay for it.
 */
final class BrokerInterception {

	private static final Logger logger = LoggerFactory.getLogger(BrokerInterception.class);

	private final Broker broker;

	private final BrokerInterceptor[] interceptors;

	BrokerInterception(Broker broker, List<BrokerInterceptor> interceptors) {
		this.broker = broker;
		this.interceptors = interceptors.toArray(new BrokerInterceptor[0]);
	}

	byte[] send(byte[] request, @Nullable Duration timeout) {
		BrokerExchange exchange = new BrokerExchange(request, timeout, false);
		before(exchange);
		byte[] answer;
		try {
			answer = this.broker.sendDirect(exchange.request(), timeout, exchange);
		}
		catch (RuntimeException | Error ex) {
			failed(exchange, this.interceptors.length, ex);
			throw ex;
		}
		return after(exchange, answer);
	}

	CompletableFuture<byte[]> sendAsync(byte[] request, @Nullable Duration timeout) {
		BrokerExchange exchange = new BrokerExchange(request, timeout, true);
		try {
			before(exchange);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		CompletableFuture<byte[]> sent = this.broker.sendAsyncDirect(exchange.request(), timeout);
		InterceptedFuture result = new InterceptedFuture(sent);
		sent.whenComplete((answer, failure) -> {
			if (sent instanceof Request.RequestFuture future) {
				exchange.sent(future.request());
			}
			if (failure != null) {
				Throwable cause = Failures.unwrap(failure);
				failed(exchange, this.interceptors.length, cause);
				result.completeExceptionally(cause);
				return;
			}
			try {
				result.complete(after(exchange, answer));
			}
			catch (RuntimeException ex) {
				result.completeExceptionally(ex);
			}
		});
		return result;
	}

	/** Run every beforeSend; when one throws, the ones before it see the failure. */
	private void before(BrokerExchange exchange) {
		BrokerInterceptor[] interceptors = this.interceptors;
		for (int i = 0; i < interceptors.length; i++) {
			byte[] replaced;
			try {
				replaced = interceptors[i].beforeSend(exchange, exchange.request());
				if (replaced == null) {
					throw new IllegalStateException("BrokerInterceptor " + interceptors[i]
							+ " returned null from beforeSend: return the request to send");
				}
			}
			catch (RuntimeException | Error ex) {
				failed(exchange, i, ex);
				throw ex;
			}
			exchange.request(replaced);
		}
	}

	/** Run every afterAnswer, last interceptor first; when one throws, the ones before it see the failure. */
	private byte[] after(BrokerExchange exchange, byte[] answer) {
		BrokerInterceptor[] interceptors = this.interceptors;
		byte[] result = answer;
		for (int i = interceptors.length - 1; i >= 0; i--) {
			try {
				result = interceptors[i].afterAnswer(exchange, result);
				if (result == null) {
					throw new IllegalStateException("BrokerInterceptor " + interceptors[i]
							+ " returned null from afterAnswer: return the answer to give the caller");
				}
			}
			catch (RuntimeException | Error ex) {
				failed(exchange, i, ex);
				throw ex;
			}
		}
		return result;
	}

	/** Tell the first {@code count} interceptors, last first, that the send failed. */
	private void failed(BrokerExchange exchange, int count, Throwable failure) {
		for (int i = count - 1; i >= 0; i--) {
			try {
				this.interceptors[i].onFailure(exchange, failure);
			}
			catch (RuntimeException ex) {
				logger.warn("BrokerInterceptor {} failed in onFailure; ignored", this.interceptors[i], ex);
			}
		}
	}

	/** The caller's future: cancelling it cancels (and so frees) the broker's request. */
	private static final class InterceptedFuture extends CompletableFuture<byte[]> {

		private final CompletableFuture<byte[]> sent;

		InterceptedFuture(CompletableFuture<byte[]> sent) {
			this.sent = sent;
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			boolean cancelled = super.cancel(mayInterruptIfRunning);
			this.sent.cancel(mayInterruptIfRunning);
			return cancelled;
		}

	}

}
