package dev.anet.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that turns an exception of an {@link AnetHandler @AnetHandler} into an answer,
 * for example an HSM error code:
 *
 * <pre>
 * &#64;AnetExceptionHandler
 * String keyNotFound(KeyNotFoundException ex) {
 *     return "ND15";
 * }
 * </pre>
 *
 * <p>In a handler bean it applies to that bean's handlers; in an {@link AnetAdvice @AnetAdvice}
 * bean to every handler, after the handler bean's own. The method whose exception type is the
 * closest superclass of the thrown exception (or, failing that, of one of its causes) wins.
 *
 * <p>Parameters, in any order: the exception (required), the request {@code byte[]}, the
 * {@link dev.anet.server.ServerConnection}. It returns the answer as {@code byte[]}, {@code String}
 * or any type an {@code AnetMessageConverter} converts; {@code null} or {@code void} sends nothing.
 * An exception it throws fails the request as if there were no exception handler.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface AnetExceptionHandler {

	/**
	 * The exceptions handled; when empty, the type of the method's exception parameter.
	 * @return the exception types
	 */
	Class<? extends Throwable>[] value() default {};

}
