package dev.anet.boot.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import dev.anet.server.Handler;
import dev.anet.server.ServerConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;

/**
 * Adapts an {@code @AnetHandler} method of a bean to the core {@link Handler}.
 *
 * <p>A method that returns a {@link CompletableFuture} is waited for on the handler thread: the
 * core's handler is synchronous, so the thread (and one of {@code max-concurrent-handlers}) is held
 * until the future completes. The wait has no bound of its own: a graceful stop interrupts it once
 * {@code anet.server.shutdown-timeout} has passed. With virtual threads the held thread is cheap.
 */
final class AnetHandlerMethod implements Handler {

	static final String SIGNATURES = "byte[] m(byte[]), byte[] m(byte[], ServerConnection), void m(byte[]), "
			+ "void m(byte[], ServerConnection), CompletableFuture<byte[]> m(byte[]) or "
			+ "CompletableFuture<byte[]> m(byte[], ServerConnection)";

	private enum Answer {

		BYTES, NONE, FUTURE

	}

	private final Object bean;

	private final Method method;

	private final boolean withConnection;

	private final Answer answer;

	private AnetHandlerMethod(Object bean, Method method, boolean withConnection, Answer answer) {
		this.bean = bean;
		this.method = method;
		this.withConnection = withConnection;
		this.answer = answer;
		ReflectionUtils.makeAccessible(method);
	}

	/**
	 * Check the signature and create the adapter.
	 * @param bean the bean (or its proxy) to call
	 * @param method the method to call on {@code bean}
	 * @param description the bean and method, for messages
	 * @return the adapter
	 * @throws IllegalStateException saying which signatures work if the method's is not one of
	 * them
	 */
	static AnetHandlerMethod of(Object bean, Method method, String description) {
		Class<?>[] parameters = method.getParameterTypes();
		boolean takesRequest = parameters.length >= 1 && parameters[0] == byte[].class;
		boolean withConnection = parameters.length == 2 && parameters[1] == ServerConnection.class;
		if (!takesRequest || (parameters.length == 2 && !withConnection) || parameters.length > 2) {
			throw badSignature(description, "its parameters are not (byte[]) or (byte[], ServerConnection)");
		}
		Class<?> returnType = method.getReturnType();
		Answer answer;
		if (returnType == byte[].class) {
			answer = Answer.BYTES;
		}
		else if (returnType == void.class) {
			answer = Answer.NONE;
		}
		else if (returnType == CompletableFuture.class) {
			Class<?> element = ResolvableType.forMethodReturnType(method).getGeneric(0).resolve();
			if (element != byte[].class) {
				throw badSignature(description, "it returns a CompletableFuture of "
						+ ((element != null) ? element.getTypeName() : "an unknown type") + ", not of byte[]");
			}
			answer = Answer.FUTURE;
		}
		else {
			throw badSignature(description, "it returns " + returnType.getTypeName()
					+ ", not byte[], void or CompletableFuture<byte[]>");
		}
		return new AnetHandlerMethod(bean, method, withConnection, answer);
	}

	private static IllegalStateException badSignature(String description, String why) {
		return new IllegalStateException(description + " cannot be an @AnetHandler: " + why
				+ ". Use one of these signatures: " + SIGNATURES);
	}

	@Override
	public byte @Nullable [] handle(ServerConnection connection, byte[] request) throws Exception {
		Object result = invoke(this.withConnection ? new Object[] { request, connection } : new Object[] { request });
		return switch (this.answer) {
			case BYTES -> (byte[]) result;
			case NONE -> null;
			case FUTURE -> (result != null) ? await((CompletableFuture<?>) result) : null;
		};
	}

	private @Nullable Object invoke(Object[] arguments) throws Exception {
		try {
			return this.method.invoke(this.bean, arguments);
		}
		catch (InvocationTargetException ex) {
			throw rethrow(ex.getCause());
		}
	}

	private static byte @Nullable [] await(CompletableFuture<?> future) throws Exception {
		try {
			return (byte[]) future.get();
		}
		catch (ExecutionException ex) {
			throw rethrow(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw ex;
		}
	}

	private static Exception rethrow(@Nullable Throwable cause) {
		if (cause instanceof Error error) {
			throw error;
		}
		if (cause instanceof Exception exception) {
			return exception;
		}
		return new IllegalStateException("@AnetHandler method failed", cause);
	}

	@Override
	public String toString() {
		return this.method.toGenericString();
	}

}
