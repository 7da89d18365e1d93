package dev.anet.boot.observation;

import org.jspecify.annotations.Nullable;

/**
 * Puts trace context fields into the application's own messages, and takes them out. The anet
 * wire has no room for headers, so by default nothing is propagated ({@link #NONE}); declare a bean
 * of this type to carry, for example, {@code traceparent} in a private field of your ISO 8583
 * messages. The broker's observation calls {@link #inject} for each field of the tracer's
 * propagator before the request is sent; the server's calls {@link #extract} before the handler runs.
 */
public interface AnetTracePropagation {

	/** Propagates nothing. */
	AnetTracePropagation NONE = new AnetTracePropagation() {

		@Override
		public byte[] inject(byte[] request, String field, String value) {
			return request;
		}

		@Override
		public @Nullable String extract(byte[] request, String field) {
			return null;
		}

	};

	/**
	 * Put a field into an outgoing request.
	 * @param request the request body
	 * @param field the field name (for example {@code traceparent})
	 * @param value its value
	 * @return the request to send, with the field
	 */
	byte[] inject(byte[] request, String field, String value);

	/**
	 * Read a field from an incoming request.
	 * @param request the request body
	 * @param field the field name
	 * @return its value, or {@code null} if the request does not carry it
	 */
	@Nullable String extract(byte[] request, String field);

}
