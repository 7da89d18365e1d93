package dev.anet.boot.test;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A {@link MockAnetServer} for plain JUnit 5 tests, without Spring.
 *
 * <pre class="code">
 * import dev.anet.boot.test.MockAnetServerExtension;
 * import org.junit.jupiter.api.extension.RegisterExtension;
 *
 * import static dev.anet.boot.test.AnetRequestMatchers.prefix;
 *
 * class HsmClientTests {
 *
 *     &#64;RegisterExtension
 *     static final MockAnetServerExtension hsm = new MockAnetServerExtension();
 *
 *     &#64;Test
 *     void answersDiagnostics() {
 *         hsm.expect(prefix("NC")).andRespond("ND00");
 *         // call hsm.address() ...
 *         hsm.verify();
 *     }
 *
 * }
 * </pre>
 *
 * In a {@code static} field the server starts before the first test, is {@link MockAnetServer#reset()
 * reset} after each and stops after the last; in an instance field every test gets its own. Test
 * methods and constructors may also declare a {@link MockAnetServer} parameter.
 */
public class MockAnetServerExtension
		implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {

	private final MockAnetServer.Builder builder;

	private @Nullable MockAnetServer server;

	private boolean perClass;

	/**
	 * Create an extension whose server binds a free port of 127.0.0.1 and takes expectations in
	 * order.
	 */
	public MockAnetServerExtension() {
		this(MockAnetServer.builder());
	}

	/**
	 * Create an extension whose server the builder describes.
	 * @param builder the server's builder, such as
	 * {@code MockAnetServer.builder().ignoreExpectOrder(true)}
	 */
	public MockAnetServerExtension(MockAnetServer.Builder builder) {
		this.builder = Objects.requireNonNull(builder, "builder");
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.perClass = true;
		start();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		start();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		MockAnetServer server = this.server;
		if (server == null) {
			return;
		}
		if (this.perClass) {
			server.reset();
		}
		else {
			stop();
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stop();
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == MockAnetServer.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return server();
	}

	private synchronized void start() {
		if (this.server == null) {
			this.server = this.builder.start();
		}
	}

	private synchronized void stop() {
		MockAnetServer server = this.server;
		this.server = null;
		if (server != null) {
			server.close();
		}
	}

	/**
	 * Return the running server.
	 * @return the server
	 * @throws IllegalStateException outside a test
	 */
	public synchronized MockAnetServer server() {
		MockAnetServer server = this.server;
		if (server == null) {
			throw new IllegalStateException("MockAnetServer runs only during tests: register the extension with "
					+ "@RegisterExtension and use it from a test or a @BeforeEach method");
		}
		return server;
	}

	/**
	 * Expect one request, see {@link MockAnetServer#expect(AnetRequestMatcher)}.
	 * @param matcher accepts the request
	 * @return what to do with it
	 */
	public ResponseActions expect(AnetRequestMatcher matcher) {
		return server().expect(matcher);
	}

	/**
	 * Expect requests, see {@link MockAnetServer#expect(ExpectedCount, AnetRequestMatcher)}.
	 * @param count how many
	 * @param matcher accepts the requests
	 * @return what to do with them
	 */
	public ResponseActions expect(ExpectedCount count, AnetRequestMatcher matcher) {
		return server().expect(count, matcher);
	}

	/** See {@link MockAnetServer#verify()}. */
	public void verify() {
		server().verify();
	}

	/**
	 * See {@link MockAnetServer#verify(Duration)}.
	 * @param timeout how long to wait at most
	 */
	public void verify(Duration timeout) {
		server().verify(timeout);
	}

	public int port() {
		return server().port();
	}

	/**
	 * Return the server's {@code host:port}.
	 * @return the address
	 */
	public String address() {
		return server().address();
	}

}
