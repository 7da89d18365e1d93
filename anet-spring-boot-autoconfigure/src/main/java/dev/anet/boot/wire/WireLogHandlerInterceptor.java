package dev.anet.boot.wire;

import dev.anet.server.HandlerInterceptor;
import dev.anet.server.HandlerInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

/**
 * Logs the server's frames: each request as it arrived and its answer, if any. It is the outermost
 * interceptor ({@link Ordered#HIGHEST_PRECEDENCE}), so it logs what came and went on the wire.
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

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
