package dev.anet.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Marks an anet request handler that the auto-configured anet server runs.
 *
 * <p>On a bean class, the bean must implement {@link dev.anet.server.Handler}. On a method of any
 * bean, the method takes the request body and returns the answer, in one of these forms:
 * <pre class="code">
 * byte[] handle(byte[] request)
 * byte[] handle(byte[] request, ServerConnection connection)
 * void handle(byte[] request)                                          // no answer is sent
 * CompletableFuture&lt;byte[]&gt; handle(byte[] request)                   // the answer comes later
 * </pre>
 * (the {@code void} and {@code CompletableFuture} forms may take the {@code ServerConnection} too;
 * {@code CompletionStage} works as {@code CompletableFuture} does). A future is not waited for: the
 * server answers when it completes, holding no thread meanwhile. Returning {@code null} sends no
 * answer: the client's request times out, as with the Go server.
 *
 * <p>Routing is by the leading bytes of the request body: {@link #prefix()} (ASCII) or
 * {@link #prefixHex()} (any bytes); the longest matching prefix wins; a handler with neither is
 * the default route. A request that matches no route and finds no default route gets no answer;
 * it is logged and counted ({@code outcome=unrouted}). Two handlers for the same route fail
 * start-up.
 *
 * <pre class="code">
 * &#064;Component
 * class Hsm {
 *
 *     &#064;AnetHandler(prefix = "NC")
 *     byte[] diagnostics(byte[] request) { ... }
 *
 *     &#064;AnetHandler(prefixHex = "0200")
 *     CompletableFuture&lt;byte[]&gt; authorize(byte[] request, ServerConnection connection) { ... }
 *
 * }
 * </pre>
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface AnetHandler {

	/**
	 * Alias for {@link #prefix()}.
	 * @return the ASCII prefix
	 */
	@AliasFor("prefix")
	String value() default "";

	/**
	 * The ASCII text a request body must start with to be routed here (for example
	 * {@code "NC"}). Empty, together with an empty {@link #prefixHex()}, makes this the default
	 * route.
	 * @return the ASCII prefix
	 */
	@AliasFor("value")
	String prefix() default "";

	/**
	 * The bytes, in hexadecimal (for example {@code "0200"} or {@code "0a0B"}), a request body
	 * must start with to be routed here; for prefixes that are not printable text. Not together
	 * with {@link #prefix()}.
	 * @return the prefix in hexadecimal
	 */
	String prefixHex() default "";

}
