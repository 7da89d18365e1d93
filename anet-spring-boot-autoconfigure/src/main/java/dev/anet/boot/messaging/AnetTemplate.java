package dev.anet.boot.messaging;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.anet.broker.Broker;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Sends typed messages through a {@link Broker}, in the manner of {@code RabbitTemplate}: requests
 * are written with the {@link AnetMessageConverters}, and answers read with them as the type asked
 * for.
 *
 * <pre>
 * String answer = template.convertSendAndReceive("NC", String.class);
 * CompletableFuture&lt;AuthResponse&gt; later = template.convertSendAndReceiveAsync(request, AuthResponse.class);
 * </pre>
 *
 * <p>It throws what the broker throws ({@code AnetTimeoutException}, {@code QueueFullException}
 * ...), and {@link MessageConversionException} when a message cannot be converted.
 */
public class AnetTemplate {

	private final Broker broker;

	private final AnetMessageConverters converters;

	/**
	 * Create a template with the built-in converters.
	 * @param broker the broker
	 */
	public AnetTemplate(Broker broker) {
		this(broker, AnetMessageConverters.defaults());
	}

	/**
	 * Create a template.
	 * @param broker the broker
	 * @param converters the converters
	 */
	public AnetTemplate(Broker broker, AnetMessageConverters converters) {
		Assert.notNull(broker, "'broker' must not be null");
		Assert.notNull(converters, "'converters' must not be null");
		this.broker = broker;
		this.converters = converters;
	}

	public Broker getBroker() {
		return this.broker;
	}

	public AnetMessageConverters getConverters() {
		return this.converters;
	}

	/**
	 * Send a body and wait for the answer, at most {@code readTimeout}.
	 * @param request the request body
	 * @return the answer body
	 */
	public byte[] sendAndReceive(byte[] request) {
		return this.broker.send(request);
	}

	/**
	 * Send a body and wait for the answer, at most min(timeout, readTimeout).
	 * @param request the request body
	 * @param timeout the caller's deadline
	 * @return the answer body
	 */
	public byte[] sendAndReceive(byte[] request, @Nullable Duration timeout) {
		return this.broker.send(request, timeout);
	}

	/**
	 * Send a body without waiting.
	 * @param request the request body
	 * @return the future answer body
	 */
	public CompletableFuture<byte[]> sendAndReceiveAsync(byte[] request) {
		return this.broker.sendAsync(request);
	}

	/**
	 * Convert a request, send it, and convert the answer.
	 * @param <T> the answer type
	 * @param request the request
	 * @param answerType the answer type
	 * @return the answer
	 */
	public <T> T convertSendAndReceive(Object request, Class<T> answerType) {
		return convertSendAndReceive(request, answerType, null);
	}

	/**
	 * Convert a request, send it, and convert the answer, waiting at most min(timeout,
	 * readTimeout).
	 * @param <T> the answer type
	 * @param request the request
	 * @param answerType the answer type
	 * @param timeout the caller's deadline
	 * @return the answer
	 */
	public <T> T convertSendAndReceive(Object request, Class<T> answerType, @Nullable Duration timeout) {
		byte[] answer = this.broker.send(this.converters.toBody(request), timeout);
		return this.converters.fromBody(answer, answerType);
	}

	/**
	 * Convert a request and send it without waiting; the future converts the answer.
	 * @param <T> the answer type
	 * @param request the request
	 * @param answerType the answer type
	 * @return the future answer; cancelling it frees the request
	 */
	public <T> CompletableFuture<T> convertSendAndReceiveAsync(Object request, Class<T> answerType) {
		return convertSendAndReceiveAsync(request, answerType, null);
	}

	/**
	 * Convert a request and send it without waiting, with a deadline of min(timeout, readTimeout).
	 * @param <T> the answer type
	 * @param request the request
	 * @param answerType the answer type
	 * @param timeout the caller's deadline
	 * @return the future answer; cancelling it frees the request
	 */
	public <T> CompletableFuture<T> convertSendAndReceiveAsync(Object request, Class<T> answerType,
			@Nullable Duration timeout) {
		byte[] body;
		try {
			body = this.converters.toBody(request);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		CompletableFuture<byte[]> sent = this.broker.sendAsync(body, timeout);
		ConvertingFuture<T> result = new ConvertingFuture<>(sent);
		sent.whenComplete((answer, failure) -> {
			if (failure != null) {
				result.completeExceptionally(failure);
				return;
			}
			try {
				result.complete(this.converters.fromBody(answer, answerType));
			}
			catch (RuntimeException ex) {
				result.completeExceptionally(ex);
			}
		});
		return result;
	}

	/** A future whose cancel cancels (and so frees) the broker's request. */
	private static final class ConvertingFuture<T> extends CompletableFuture<T> {

		private final CompletableFuture<byte[]> sent;

		ConvertingFuture(CompletableFuture<byte[]> sent) {
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
