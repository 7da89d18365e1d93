package dev.anet.boot.autoconfigure;

import java.util.List;

import dev.anet.boot.messaging.AnetMessageConverters;
import dev.anet.server.Handler;
import dev.anet.server.ServerConnection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route's handler with its exception handlers: an exception of the handler goes to the handler
 * bean's own {@code @AnetExceptionHandler} methods, then to each {@code @AnetAdvice} bean's in
 * order; the first that takes it gives the answer. An exception none takes, or one an exception
 * handler throws, fails the request as before (no answer, counted as an error).
 */
final class ErrorAnsweringHandler implements Handler {

	private static final Logger logger = LoggerFactory.getLogger(ErrorAnsweringHandler.class);

	private final Handler handler;

	private final List<AnetExceptionHandlers> exceptionHandlers;

	private final AnetMessageConverters converters;

	ErrorAnsweringHandler(Handler handler, List<AnetExceptionHandlers> exceptionHandlers,
			AnetMessageConverters converters) {
		this.handler = handler;
		this.exceptionHandlers = List.copyOf(exceptionHandlers);
		this.converters = converters;
	}

	@Override
	public byte @Nullable [] handle(ServerConnection connection, byte[] request) throws Exception {
		try {
			return this.handler.handle(connection, request);
		}
		catch (Exception ex) {
			for (AnetExceptionHandlers candidates : this.exceptionHandlers) {
				AnetExceptionHandlers.Match match = candidates.match(ex);
				if (match != null) {
					if (logger.isDebugEnabled()) {
						logger.debug("{} answers {} from {}", match.description(), ex, connection.remoteAddress());
					}
					return match.answer(connection, request, this.converters);
				}
			}
			throw ex;
		}
	}

	@Override
	public String toString() {
		return this.handler.toString();
	}

}
