package dev.anet.server;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The handler of a server behind its {@link HandlerInterceptor}s. Without interceptors it calls the
 * handler directly and makes nothing.
 */
final class HandlerChain {

	private final Handler handler;

	private final HandlerInterceptor[] interceptors;

	HandlerChain(Handler handler, List<HandlerInterceptor> interceptors) {
		this.handler = handler;
		this.interceptors = interceptors.toArray(new HandlerInterceptor[0]);
	}

	byte @Nullable [] handle(ServerConnection connection, int taskId, byte[] request) throws Exception {
		if (this.interceptors.length == 0) {
			return this.handler.handle(connection, request);
		}
		return new Invocation(connection, taskId, request, 0).proceed();
	}

	private final class Invocation implements HandlerInvocation {

		private final ServerConnection connection;

		private final int taskId;

		private final byte[] request;

		private final int index;

		Invocation(ServerConnection connection, int taskId, byte[] request, int index) {
			this.connection = connection;
			this.taskId = taskId;
			this.request = request;
			this.index = index;
		}

		@Override
		public ServerConnection connection() {
			return this.connection;
		}

		@Override
		public int taskId() {
			return this.taskId;
		}

		@Override
		public byte[] request() {
			return this.request;
		}

		@Override
		public byte @Nullable [] proceed() throws Exception {
			return proceed(this.request);
		}

		@Override
		public byte @Nullable [] proceed(byte[] request) throws Exception {
			if (request == null) {
				throw new IllegalArgumentException("HandlerInvocation.proceed(null): pass the request body on");
			}
			HandlerInterceptor[] interceptors = HandlerChain.this.interceptors;
			if (this.index == interceptors.length) {
				return HandlerChain.this.handler.handle(this.connection, request);
			}
			return interceptors[this.index].intercept(new Invocation(this.connection, this.taskId, request, this.index + 1));
		}

	}

}
