package dev.anet.boot.wire;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

import dev.anet.server.AsyncHandlerInvocation;
import dev.anet.server.HandlerInterceptor;
import dev.anet.server.HandlerInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

/**
 * Logs the server's frames: each request as it arrived and its answer, if any (an answer that comes
 * later when it comes). It is the outermost interceptor ({@link Ordered#HIGHEST_PRECEDENCE}), so it
 * logs what came and went on the wire.
 */
public class WireLogHandlerInterceptor implements HandlerInterceptor, Ordered {

	private final WireLog log;

	public WireLogHandlerInterceptor(WireLog log) {
		this.log = log;
	}

	@Override
	public byte @Nullable [] intercept(HandlerInvocation invocation) throws Exception {
		if (!this.log.isEnabled()) {
			return invocation.proceed();
		}
		this.log.frame(false, invocation.connection().remoteAddress(), invocation.taskId(), invocation.request());
		byte[] answer = invocation.proceed();
		if (answer != null) {
			this.log.frame(true, invocation.connection().remoteAddress(), invocation.taskId(), answer);
		}
		return answer;
	}

	/**
	 * Log the request as it arrived and, when it comes, its answer (on the thread that completes
	 * it), without waiting for it.
	 */
	@Override
	public CompletionStage<byte @Nullable []> interceptAsync(AsyncHandlerInvocation invocation) throws Exception {
		if (!this.log.isEnabled()) {
			return invocation.proceed();
		}
		InetSocketAddress remote = invocation.connection().remoteAddress();
		int taskId = invocation.taskId();
		this.log.frame(false, remote, taskId, invocation.request());
		CompletionStage<byte @Nullable []> stage = invocation.proceed();
		// the handler's own stage goes back to the server, so its cancel (a stop that gives up) reaches it
		stage.whenComplete((answer, failure) -> {
			if (answer != null) {
				this.log.frame(true, remote, taskId, answer);
			}
		});
		return stage;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
