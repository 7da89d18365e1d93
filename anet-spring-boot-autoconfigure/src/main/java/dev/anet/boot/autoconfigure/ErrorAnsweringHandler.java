package dev.anet.boot.autoconfigure;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import dev.anet.boot.messaging.AnetMessageConverters;
import dev.anet.internal.Failures;
import dev.anet.server.Handler;
import dev.anet.server.ServerConnection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route's handler with its exception handlers: an exception of the handler goes to the handler
 * bean's own {@code @AnetExceptionHandler} methods, then to each {@code @AnetAdvice} bean's in
 * order; the first that takes it gives the answer. An exception none takes, or one an exception
 * handler throws, fails the request as before (no answer, counted as an error). For a handler that
 * answers later, the same holds for the failure of its stage; the exception handler then runs on
 * the thread that completed it.
 */
final class ErrorAnsweringHandler implements AsyncRouteHandler {

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
			return answer(connection, request, ex);
		}
	}

	@Override
	public boolean answersLater() {
		return this.handler instanceof AsyncRouteHandler async && async.answersLater();
	}

	@Override
	public CompletionStage<byte @Nullable []> handleAsync(ServerConnection connection, byte[] request)
			throws Exception {
		if (!(this.handler instanceof AsyncRouteHandler async)) {
			return CompletableFuture.completedFuture(handle(connection, request));
		}
		CompletionStage<byte @Nullable []> stage;
		try {
			stage = async.handleAsync(connection, request);
		}
		catch (Exception ex) {
			return CompletableFuture.completedFuture(answer(connection, request, ex));
		}
		return CancelsSource.cancelling(stage.handle((answer, failure) -> {
			if (failure == null) {
				return CompletableFuture.completedFuture(answer);
			}
			Throwable cause = Failures.unwrap(failure);
			if (!(cause instanceof Exception exception)) {
				return CompletableFuture.<byte @Nullable []>failedFuture(cause);
			}
			try {
				return CompletableFuture.completedFuture(answer(connection, request, exception));
			}
			catch (Exception ex) {
				return CompletableFuture.<byte @Nullable []>failedFuture(ex);
			}
		}).thenCompose(Function.identity()), stage);
	}

	/** The answer of the first exception handler that takes the exception; else it is thrown. */
	private byte @Nullable [] answer(ServerConnection connection, byte[] request, Exception ex) throws Exception {
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

	@Override
	public String toString() {
		return this.handler.toString();
	}

}
