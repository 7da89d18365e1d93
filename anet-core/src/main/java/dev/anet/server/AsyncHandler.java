package dev.anet.server;

import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * Handles one anet request whose answer comes later: a gateway that calls another backend
 * asynchronously, for example. Give it to {@link AnetServer#async(ServerConfig, AsyncHandler)}.
 *
 * <pre>
 * AnetServer gateway = AnetServer.async(config, (connection, request) -&gt; backend.sendAsync(request));
 * </pre>
 *
 * <p>{@code handle} runs where a {@link Handler} would (on the connection's reader once its
 * handlers have been quick, else on a handler thread) and must return promptly: it starts the work
 * and returns its stage. The server takes the handler's thread and its handler permit
 * ({@code maxConcurrentHandlers}) back as soon as {@code handle} returns, and writes the answer
 * when the stage completes, on whatever thread completes it (there, the write may block for up to
 * {@code writeTimeout} if the peer does not read). While the stage is pending the request holds one
 * of its connection's {@code writeQueueDepth} write slots, as a running handler does, and one of the
 * server's {@code maxPendingAsync}.
 *
 * <ul>
 * <li>A stage that completes with {@code null} sends nothing (counted as
 * {@link HandlerOutcome#NO_RESPONSE});</li>
 * <li>one that completes exceptionally, like a {@code handle} that throws or returns {@code null}
 * instead of a stage, fails only its request: logged, counted as {@link HandlerOutcome#ERROR},
 * nothing sent;</li>
 * <li>a request over {@code maxPendingAsync} is not handled: counted as
 * {@link HandlerOutcome#REJECTED}, nothing sent;</li>
 * <li>one still pending when {@link AnetServer#stop()} has waited {@code shutdownTimeout} is
 * abandoned: its stage is cancelled (when it is a {@link java.util.concurrent.Future}) and it is
 * counted as {@link HandlerOutcome#ABANDONED}.</li>
 * </ul>
 */
@FunctionalInterface
public interface AsyncHandler {

	/**
	 * Start handling a request.
	 * @param connection the connection the request came on
	 * @param request the request body (without length and task id)
	 * @return the answer to come: its body, or {@code null} to send nothing
	 * @throws Exception to fail this request only, as a {@link Handler} does
	 */
	CompletionStage<byte @Nullable []> handle(ServerConnection connection, byte[] request) throws Exception;

}
