package dev.anet.boot.autoconfigure;

import java.util.concurrent.CompletionStage;

import dev.anet.server.Handler;
import dev.anet.server.ServerConnection;
import org.jspecify.annotations.Nullable;

/**
 * A route's handler that may give its answer later: an {@code @AnetHandler} method that returns a
 * {@code CompletableFuture} or {@code CompletionStage}, or such a handler behind its exception
 * handlers. The {@link AnetRouter} calls {@link #handleAsync} when the server is asynchronous
 * (at least one route answers later), {@link #handle} otherwise.
 */
interface AsyncRouteHandler extends Handler {

	/**
	 * Return whether the answer comes later (else {@link #handleAsync} only wraps {@link #handle}).
	 * @return whether it does
	 */
	boolean answersLater();

	/**
	 * Handle a request without waiting for the answer.
	 * @param connection the connection
	 * @param request the request body
	 * @return the answer to come, {@code null} in it for none
	 * @throws Exception to fail the request before the answer is asked for
	 */
	CompletionStage<byte @Nullable []> handleAsync(ServerConnection connection, byte[] request) throws Exception;

}
