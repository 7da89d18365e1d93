package dev.anet.boot.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import dev.anet.boot.messaging.AnetMessageConverters;
import dev.anet.server.Handler;
import dev.anet.server.ServerConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;

/**
 * Adapts an {@code @AnetHandler} method of a bean to the core {@link Handler}. The request
 * parameter and the answer may be {@code byte[]}, {@code String} or any type an
 * {@link dev.anet.boot.messaging.AnetMessageConverter} converts; the converters are bound when the
 * routes are fixed ({@link #bind}), which fails start-up for a type none converts.
 *
 * <p>A method that returns a {@link CompletableFuture} or a {@link CompletionStage} answers later:
 * the {@link AnetRouter} then makes the server asynchronous and calls {@link #handleAsync}, and no
 * thread (and none of {@code max-concurrent-handlers}) waits for the stage; the answer is written
 * when it completes. Called as a plain {@link Handler} ({@link #handle}), it waits for the stage.
 */
final class AnetHandlerMethod implements AsyncRouteHandler {

	static final String SIGNATURES = "T m(R), T m(R, ServerConnection), void m(R), void m(R, ServerConnection), "
			+ "CompletableFuture<T> m(R), CompletableFuture<T> m(R, ServerConnection), CompletionStage<T> m(R) or "
			+ "CompletionStage<T> m(R, ServerConnection), where R and T are byte[], String or a type an "
			+ "AnetMessageConverter bean converts";

	private enum Answer {

		VALUE, NONE, FUTURE

	}

	private final Object bean;

	private final Method method;

	private final String description;

	private final Class<?> requestType;

	private final boolean withConnection;

	private final Answer answer;

	/** The type the answer is converted from; {@code null} for {@link Answer#NONE}. */
	private final @Nullable Class<?> answerType;

	private volatile AnetMessageConverters converters = AnetMessageConverters.defaults();

	private AnetHandlerMethod(Object bean, Method method, String description, Class<?> requestType,
			boolean withConnection, Answer answer, @Nullable Class<?> answerType) {
		this.bean = bean;
		this.method = method;
		this.description = description;
		this.requestType = requestType;
		this.withConnection = withConnection;
		this.answer = answer;
		this.answerType = answerType;
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
		boolean withConnection = parameters.length == 2 && parameters[1] == ServerConnection.class;
		if (parameters.length == 0 || parameters.length > 2 || (parameters.length == 2 && !withConnection)
				|| parameters[0] == ServerConnection.class) {
			throw badSignature(description, "its parameters are not (request) or (request, ServerConnection)");
		}
		Class<?> returnType = method.getReturnType();
		if (returnType == void.class) {
			return new AnetHandlerMethod(bean, method, description, parameters[0], withConnection, Answer.NONE, null);
		}
		if (returnType == CompletableFuture.class || returnType == CompletionStage.class) {
			Class<?> element = ResolvableType.forMethodReturnType(method).as(CompletionStage.class).getGeneric(0).resolve();
			if (element == null || element == Object.class) {
				throw badSignature(description, "it returns a " + returnType.getSimpleName() + " of an unknown type: "
						+ "declare it, as in " + returnType.getSimpleName() + "<byte[]>");
			}
			return new AnetHandlerMethod(bean, method, description, parameters[0], withConnection, Answer.FUTURE,
					element);
		}
		return new AnetHandlerMethod(bean, method, description, parameters[0], withConnection, Answer.VALUE,
				returnType);
	}

	/**
	 * Use these converters for the request and the answer.
	 * @param converters the converters
	 * @throws IllegalStateException naming the method if none converts its request or answer type
	 */
	void bind(AnetMessageConverters converters) {
		check(converters, this.requestType, "its request parameter");
		if (this.answerType != null) {
			check(converters, this.answerType, "its answer");
		}
		this.converters = converters;
	}

	private void check(AnetMessageConverters converters, Class<?> type, String what) {
		if (type != byte[].class && !converters.canConvert(type)) {
			throw badSignature(this.description, what + " is a " + type.getTypeName()
					+ ", which no AnetMessageConverter converts: declare an AnetMessageConverter bean for it");
		}
	}

	private static IllegalStateException badSignature(String description, String why) {
		return new IllegalStateException(description + " cannot be an @AnetHandler: " + why
				+ ". Use one of these signatures: " + SIGNATURES);
	}

	@Override
	public boolean answersLater() {
		return this.answer == Answer.FUTURE;
	}

	@Override
	public byte @Nullable [] handle(ServerConnection connection, byte[] request) throws Exception {
		AnetMessageConverters converters = this.converters;
		Object result = invoke(connection, request, converters);
		return switch (this.answer) {
			case VALUE -> body(converters, result);
			case NONE -> null;
			case FUTURE -> (result != null) ? body(converters, await((CompletionStage<?>) result)) : null;
		};
	}

	@Override
	public CompletionStage<byte @Nullable []> handleAsync(ServerConnection connection, byte[] request)
			throws Exception {
		if (this.answer != Answer.FUTURE) {
			return CompletableFuture.completedFuture(handle(connection, request));
		}
		AnetMessageConverters converters = this.converters;
		CompletionStage<?> result = (CompletionStage<?>) invoke(connection, request, converters);
		if (result == null) {
			return CompletableFuture.completedFuture(null);
		}
		return CancelsSource.cancelling(result.thenApply((value) -> body(converters, value)), result);
	}

	private @Nullable Object invoke(ServerConnection connection, byte[] request, AnetMessageConverters converters)
			throws Exception {
		Object argument = (this.requestType == byte[].class) ? request : converters.fromBody(request, this.requestType);
		return invoke(this.withConnection ? new Object[] { argument, connection } : new Object[] { argument });
	}

	private static byte @Nullable [] body(AnetMessageConverters converters, @Nullable Object result) {
		return (result != null) ? converters.toBody(result) : null;
	}

	private @Nullable Object invoke(Object[] arguments) throws Exception {
		try {
			return this.method.invoke(this.bean, arguments);
		}
		catch (InvocationTargetException ex) {
			throw rethrow(ex.getCause());
		}
	}

	private static @Nullable Object await(CompletionStage<?> stage) throws Exception {
		try {
			return stage.toCompletableFuture().get();
		}
		catch (ExecutionException ex) {
			throw rethrow(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw ex;
		}
	}

	static Exception rethrow(@Nullable Throwable cause) {
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
