package dev.anet.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Starts a {@link MockAnetServer} on a free port of 127.0.0.1 for the test's application context
 * and points the auto-configured broker at it: {@code anet.pool.addresses} is the mock server's
 * address, above every other property source. The server is a bean (inject it with
 * {@code @Autowired MockAnetServer}), is {@link MockAnetServer#reset() reset} after every test
 * method, and stops with the context. Use it with {@code @SpringBootTest} or a slice.
 *
 * <pre class="code">
 * import dev.anet.boot.test.AutoConfigureMockAnetServer;
 * import dev.anet.boot.test.MockAnetServer;
 *
 * &#64;SpringBootTest
 * &#64;AutoConfigureMockAnetServer
 * class PaymentServiceTests {
 *
 *     &#64;Autowired
 *     MockAnetServer hsm;
 *
 * }
 * </pre>
 *
 * The mock server's port is also published as {@code local.mock.anet.server.port}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureMockAnetServer {

	/**
	 * Whether a request may match any expectation, not only the next ones in declaration order.
	 * @return whether to ignore the order of expectations
	 */
	boolean ignoreExpectOrder() default false;

}
