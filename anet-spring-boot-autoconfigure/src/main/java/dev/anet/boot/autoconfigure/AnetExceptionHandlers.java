package dev.anet.boot.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.anet.boot.AnetExceptionHandler;
import dev.anet.boot.messaging.AnetMessageConverters;
import dev.anet.server.ServerConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The {@link AnetExceptionHandler @AnetExceptionHandler} methods of one bean, and which one takes
 * an exception: the one whose exception type is the closest superclass of the exception, else of
 * its first cause that one takes.
 */
final class AnetExceptionHandlers {

	private final List<Mapping> mappings;

	private final Map<Class<?>, Optional<Mapping>> resolved = new ConcurrentHashMap<>();

	private AnetExceptionHandlers(List<Mapping> mappings) {
		this.mappings = mappings;
	}

	/**
	 * Find the exception handler methods of a bean.
	 * @param bean the bean
	 * @param beanName its name, for messages
	 * @return its exception handlers, or {@code null} if it has none
	 * @throws IllegalStateException naming bean and method for a bad signature or two methods for
	 * the same exception
	 */
	static @Nullable AnetExceptionHandlers of(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		Map<Method, AnetExceptionHandler> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<AnetExceptionHandler>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, AnetExceptionHandler.class));
		if (methods.isEmpty()) {
			return null;
		}
		List<Mapping> mappings = new ArrayList<>();
		methods.forEach((method, annotation) -> {
			String description = "Method " + targetClass.getSimpleName() + "." + method.getName() + " of bean '"
					+ beanName + "'";
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			ReflectionUtils.makeAccessible(invocable);
			Class<?>[] parameters = invocable.getParameterTypes();
			int exceptionIndex = -1;
			for (int i = 0; i < parameters.length; i++) {
				if (Throwable.class.isAssignableFrom(parameters[i]) && exceptionIndex == -1) {
					exceptionIndex = i;
				}
				else if (parameters[i] != byte[].class && parameters[i] != ServerConnection.class) {
					throw badSignature(description, "parameter " + (i + 1) + " is a " + parameters[i].getTypeName());
				}
			}
			List<Class<? extends Throwable>> types = new ArrayList<>(Arrays.asList(annotation.value()));
			if (types.isEmpty()) {
				if (exceptionIndex == -1) {
					throw badSignature(description, "it names no exception: give it an exception parameter or "
							+ "@AnetExceptionHandler(SomeException.class)");
				}
				types.add(parameters[exceptionIndex].asSubclass(Throwable.class));
			}
			for (Class<? extends Throwable> type : types) {
				for (Mapping other : mappings) {
					if (other.type == type) {
						throw new IllegalStateException("Two @AnetExceptionHandler methods of bean '" + beanName
								+ "' handle " + type.getName() + ": " + other.description + " and " + description
								+ ". Keep one of them");
					}
				}
				mappings.add(new Mapping(type, bean, invocable, description));
			}
		});
		return new AnetExceptionHandlers(List.copyOf(mappings));
	}

	private static IllegalStateException badSignature(String description, String why) {
		return new IllegalStateException(description + " cannot be an @AnetExceptionHandler: " + why
				+ ". Its parameters may be the exception, the request byte[] and the ServerConnection, in any order");
	}

	/**
	 * Check that every handler's answer type can be written.
	 * @param converters the converters
	 * @throws IllegalStateException naming the method if none converts its answer type
	 */
	void check(AnetMessageConverters converters) {
		for (Mapping mapping : this.mappings) {
			Class<?> answer = mapping.method.getReturnType();
			if (answer != void.class && answer != byte[].class && !converters.canConvert(answer)) {
				throw new IllegalStateException(mapping.description + " cannot be an @AnetExceptionHandler: it "
						+ "returns a " + answer.getTypeName() + ", which no AnetMessageConverter converts");
			}
		}
	}

	/**
	 * Find the handler of an exception.
	 * @param failure the exception a handler threw
	 * @return the handler and the exception (or cause) it takes, or {@code null} if none takes it
	 */
	@Nullable Match match(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			Mapping mapping = this.resolved.computeIfAbsent(cause.getClass(), (type) -> Optional.ofNullable(closest(type)))
				.orElse(null);
			if (mapping != null) {
				return new Match(mapping, cause);
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	private @Nullable Mapping closest(Class<?> type) {
		Mapping best = null;
		int bestDepth = Integer.MAX_VALUE;
		for (Mapping mapping : this.mappings) {
			int depth = depth(mapping.type, type);
			if (depth >= 0 && depth < bestDepth) {
				best = mapping;
				bestDepth = depth;
			}
		}
		return best;
	}

	private static int depth(Class<?> declared, Class<?> type) {
		int depth = 0;
		for (Class<?> current = type; current != null; current = current.getSuperclass()) {
			if (current == declared) {
				return depth;
			}
			depth++;
		}
		return -1;
	}

	private record Mapping(Class<? extends Throwable> type, Object bean, Method method, String description) {
	}

	/**
	 * An exception handler that takes an exception.
	 */
	static final class Match {

		private final Mapping mapping;

		private final Throwable exception;

		private Match(Mapping mapping, Throwable exception) {
			this.mapping = mapping;
			this.exception = exception;
		}

		/**
		 * Run the exception handler.
		 * @param connection the request's connection
		 * @param request the request body
		 * @param converters writes the answer
		 * @return the answer, or {@code null} for none
		 * @throws Exception what the exception handler threw
		 */
		byte @Nullable [] answer(ServerConnection connection, byte[] request, AnetMessageConverters converters)
				throws Exception {
			Method method = this.mapping.method;
			Class<?>[] parameters = method.getParameterTypes();
			Object[] arguments = new Object[parameters.length];
			for (int i = 0; i < parameters.length; i++) {
				if (parameters[i] == byte[].class) {
					arguments[i] = request;
				}
				else if (parameters[i] == ServerConnection.class) {
					arguments[i] = connection;
				}
				else {
					arguments[i] = parameters[i].isInstance(this.exception) ? this.exception : null;
				}
			}
			Object result;
			try {
				result = method.invoke(this.mapping.bean, arguments);
			}
			catch (InvocationTargetException ex) {
				throw AnetHandlerMethod.rethrow(ex.getCause());
			}
			return (result != null) ? converters.toBody(result) : null;
		}

		String description() {
			return this.mapping.description;
		}

	}

}
