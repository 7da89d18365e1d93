package dev.anet.broker;

/**
 * Hooks around every {@link Broker} send, blocking or async: see and replace the request before it
 * is queued, see and replace the answer, see every failure.
 *
 * <pre>
 *  send ──► beforeSend(1) ──► beforeSend(2) ──► broker ──► afterAnswer(2) ──► afterAnswer(1) ──► caller
 *                                                   └─failure─► onFailure(2) ──► onFailure(1) ──► caller
 * </pre>
 *
 * <p>Interceptors run in the order of {@link BrokerConfig#interceptors()} before the send and in the
 * reverse order after it. Every interceptor whose {@link #beforeSend} returned gets exactly one of
 * {@link #afterAnswer} or {@link #onFailure}. An exception thrown by {@code beforeSend} or
 * {@code afterAnswer} fails the send with that exception (the outer interceptors see it in their
 * {@code onFailure}); one thrown by {@code onFailure} is logged and ignored. For {@code sendAsync}
 * the calls after the send run on the thread that completes the request (a connection reader or the
 * timer): keep them short. Each send has its own {@link BrokerExchange}, where an interceptor keeps
 * what it needs between the calls. Without interceptors a send costs nothing more.
 */
public interface BrokerInterceptor {

	/**
	 * Called on the caller's thread before the request is queued.
	 * @param exchange this send
	 * @param request the request as the interceptors before this one left it
	 * @return the request to send (the same array, or another one)
	 */
	default byte[] beforeSend(BrokerExchange exchange, byte[] request) {
		return request;
	}

	/**
	 * Called when the answer came.
	 * @param exchange this send
	 * @param answer the answer as the interceptors after this one left it
	 * @return the answer to give the caller (the same array, or another one)
	 */
	default byte[] afterAnswer(BrokerExchange exchange, byte[] answer) {
		return answer;
	}

	/**
	 * Called when the send failed: rejected, timed out, lost with its connection, cancelled, or
	 * failed by an interceptor after this one.
	 * @param exchange this send
	 * @param failure why (the exception the caller gets)
	 */
	default void onFailure(BrokerExchange exchange, Throwable failure) {
	}

}
